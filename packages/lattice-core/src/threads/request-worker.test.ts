// RequestWorker against a worker that squares numbers: replies match their requests in order,
// a throwing handler rejects only its own request (with the worker's message), and a worker that
// dies rejects what it had out and is replaced by the next request.
import { afterAll, expect, test } from "vitest";
import { RequestWorker, WorkerThreadError } from "./index.js";

const worker = new RequestWorker<{ values: Float64Array; exit?: boolean }, Float64Array>(
  new URL("../../test/square-worker.ts", import.meta.url),
);
afterAll(() => worker.terminate());

test("replies come back to their own requests", async () => {
  const replies = await Promise.all(
    [1, 2, 3].map((v) => worker.request({ values: Float64Array.of(v, -0.5 * v + 2) })),
  );
  expect(replies.map((r) => [...r])).toEqual([
    [1, 2.25],
    [4, 1],
    [9, 0.25],
  ]);
});

test("a request the worker throws on rejects alone, with the worker's message", async () => {
  const bad = worker.request({ values: Float64Array.of(-1) });
  const good = worker.request({ values: Float64Array.of(5) });
  await expect(bad).rejects.toThrow(WorkerThreadError);
  await expect(bad).rejects.toThrow("a negative value");
  expect([...(await good)]).toEqual([25]);
});

test("a worker that dies rejects its request and the next request starts a new one", async () => {
  await expect(worker.request({ values: new Float64Array(0), exit: true })).rejects.toThrow(/exit code 3/);
  expect([...(await worker.request({ values: Float64Array.of(7) }))]).toEqual([49]);
});
