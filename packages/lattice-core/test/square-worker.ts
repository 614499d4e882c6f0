// A worker for the tests of src/threads: squares the numbers it is sent (the reply's buffer moved
// back), refuses a negative one, and exits on request.
import { serveRequests } from "../src/threads/index.js";

serveRequests<{ values: Float64Array; exit?: boolean }, Float64Array>(
  ({ values, exit }) => {
    if (exit) process.exit(3);
    if (values.some((v) => v < 0)) throw new RangeError("a negative value");
    return values.map((v) => v * v);
  },
  (rep) => [rep.buffer as ArrayBuffer],
);
