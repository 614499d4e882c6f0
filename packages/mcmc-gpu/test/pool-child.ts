// Started by src/cpu/pool.test.ts in a plain Node process: a worker pool runs one job at top
// level and is never disposed. Prints "ok" when the worker's chains equal SPEC.md's reference;
// the process must then exit by itself (idle workers do not keep it alive), and must not exit
// before the job is done (a worker with a job out does).
import { WorkerPool } from "../src/cpu/pool.js";
import { intEngine, referenceSpins } from "./pool-fixture.js";

const e = intEngine(4, 4, 2);
const spins = new Int8Array(e.desc.spins);
const start = spins.slice();
const pool = new WorkerPool(1, e.desc);
await pool.run([{ type: "sweeps", from: 0, to: 3, n0: 2, count: 2 }], () => {});
const ref = referenceSpins(4, 4, 2, start, 2, 2);
console.log(ref.every((s, i) => s === spins[i]) ? "ok" : "wrong spins");
