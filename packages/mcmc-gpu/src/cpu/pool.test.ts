// The worker pool and its worker thread driven directly, one job type at a time (worker.ts's
// WorkerRequest union): what a worker computes on the shared memory equals SPEC.md's per-site
// reference (square kernels) or the same work done on this thread over separate copies (model
// samplers, whose one-thread result the model tests check). Also lazy start, errors from a
// worker or from the main thread's share, a worker that reports an error event, dispose and
// restart, the barrier with 2 threads, and a pool started from plain Node (the process must
// exit by itself once its jobs are done, and must not exit while one is out).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { linkVariables, N_TERMS, shapeFeatures, squareLattice, termSums } from "@physml/lattice-core";
import { afterAll, describe, expect, test } from "vitest";
import { CHAINS, intEngine, referenceSpins } from "../../test/pool-fixture.js";
import { xyEnginePair } from "../../test/xy-engine-pair.js";
import { barrierAbort, barrierBuffer, barrierWait } from "./barrier.js";
import { N_FEATURES } from "./measure.js";
import { WorkerPool } from "./pool.js";

// One engine and one pool of 2 workers for the square-kernel tests (worker start-up from the
// TypeScript sources costs ~1 s): each test starts from the spins the previous one left.
describe("WorkerPool with square-kernel jobs", () => {
  const e = intEngine(4, 6, 4);
  const n = 24;
  const spins = new Int8Array(e.desc.spins);
  const pool = new WorkerPool(2, e.desc);
  afterAll(() => pool.dispose());
  /** The pool's threads (private: only to make one fail or stop). */
  const threads = () => (pool as unknown as { workers: Worker[] }).workers;

  test("starts lazily; sweeps jobs on chains 1 and 2 in the workers, chain 0 here: SPEC.md's result", async () => {
    const start = spins.slice();
    expect(pool.size).toBe(2);
    expect(pool.started).toBe(false);
    await pool.run(
      [
        { type: "sweeps", from: 1, to: 2, n0: 7, count: 2 },
        { type: "sweeps", from: 2, to: 3, n0: 7, count: 2 },
      ],
      () => e.sweeps(0, 1, 7, 2),
    );
    expect(pool.started).toBe(true);
    expect(threads().length).toBe(2);
    expect(Array.from(spins)).toEqual(Array.from(referenceSpins(4, 6, 4, start, 7, 2)));
    // Again on the started workers (same buffers, next sweeps), one job only.
    await pool.run([{ type: "sweeps", from: 1, to: 3, n0: 9, count: 1 }], () => e.sweeps(0, 1, 9, 1));
    expect(Array.from(spins)).toEqual(Array.from(referenceSpins(4, 6, 4, start, 7, 3)));
  });

  test("split jobs: the sites of each colour over 3 threads meet at the barrier; same result", async () => {
    const start = spins.slice();
    const barrier = barrierBuffer();
    const buffer = barrier.buffer as SharedArrayBuffer;
    await pool.run(
      [
        { type: "split", part: 1, parts: 3, n0: 3, count: 2, barrier: buffer },
        { type: "split", part: 2, parts: 3, n0: 3, count: 2, barrier: buffer },
      ],
      () => e.sweepsSplit(0, 3, 3, 2, barrier),
    );
    expect(Array.from(spins)).toEqual(Array.from(referenceSpins(4, 6, 4, start, 3, 2)));
    // [arrived, generation, aborted]: one generation per colour class per sweep, nobody left waiting.
    expect(Array.from(barrier)).toEqual([0, 8, 0]);
  });

  for (const withConfigurations of [true, false]) {
    test(`measure job (configurations ${withConfigurations ? "kept" : "not kept"}): rows from lattice-core`, async () => {
      const start = spins.slice();
      const samples = 2;
      const every = 2;
      const sweeps = 5; // one trailing unmeasured sweep
      const terms = new SharedArrayBuffer(CHAINS * samples * N_TERMS * 8);
      const features = new SharedArrayBuffer(CHAINS * samples * N_FEATURES * 8);
      const configurations = withConfigurations ? new SharedArrayBuffer(CHAINS * samples * n) : null;
      const target = {
        samples,
        terms: new Float64Array(terms),
        features: new Float64Array(features),
        configurations: configurations ? new Int8Array(configurations) : undefined,
      };
      await pool.run(
        [{ type: "measure", from: 1, to: 3, n0: 4, sweeps, every, samples, terms, features, configurations }],
        () => e.measureRun(0, 1, 4, sweeps, every, target),
      );
      const lattice = squareLattice(4, 6);
      for (let t = 0; t < samples; t++) {
        const ref = referenceSpins(4, 6, 4, start, 4, (t + 1) * every);
        for (let c = 0; c < CHAINS; c++) {
          const row = c * samples + t;
          const conf = ref.subarray(c * n, (c + 1) * n);
          expect(Array.from(target.terms.subarray(row * N_TERMS, (row + 1) * N_TERMS))).toEqual(
            Array.from(termSums(lattice, conf)),
          );
          const f = shapeFeatures(lattice, linkVariables(lattice, conf));
          for (let a = 0; a < N_FEATURES; a++)
            expect(target.features[row * N_FEATURES + a]).toBeCloseTo(f[a], 12);
          if (target.configurations)
            expect(Array.from(target.configurations.subarray(row * n, (row + 1) * n))).toEqual(
              Array.from(conf),
            );
        }
      }
      expect(Array.from(spins)).toEqual(Array.from(referenceSpins(4, 6, 4, start, 4, sweeps)));
    });
  }

  test("a model job sent to square-kernel workers fails plainly, and the pool keeps working", async () => {
    await expect(
      pool.run(
        [{ type: "model-sweeps", from: 0, to: 1, n0: 0, count: 1, adapting: false, couplings: [] }],
        () => {},
      ),
    ).rejects.toThrow(/^mcmc-gpu CPU worker failed: Error: worker used before model-init\n/);
    const start = spins.slice();
    await pool.run([{ type: "sweeps", from: 0, to: 3, n0: 0, count: 1 }], () => {});
    expect(Array.from(spins)).toEqual(Array.from(referenceSpins(4, 6, 4, start, 0, 1)));
  });

  test("the main thread's share throws: run rejects with its error after the workers finished", async () => {
    const start = spins.slice();
    await expect(
      pool.run([{ type: "sweeps", from: 1, to: 3, n0: 0, count: 2 }], () => {
        throw new RangeError("main share");
      }),
    ).rejects.toThrow(/^main share$/);
    const ref = referenceSpins(4, 6, 4, start, 0, 2);
    expect(Array.from(spins.subarray(n))).toEqual(Array.from(ref.subarray(n)));
    expect(Array.from(spins.subarray(0, n))).toEqual(Array.from(start.subarray(0, n)));
  });

  test("a thread that fails aborts the barrier: the worker's split job stops with a clear error", async () => {
    const barrier = barrierBuffer();
    await expect(
      pool.run(
        [{ type: "split", part: 1, parts: 2, n0: 0, count: 3, barrier: barrier.buffer as SharedArrayBuffer }],
        () => barrierAbort(barrier),
      ),
    ).rejects.toThrow(/^mcmc-gpu CPU worker failed: Error: mcmc-gpu: another sampler thread failed/);
  });

  test("a worker holds the process open only while it has a job out", async () => {
    // An explicitly ref'd worker shows as a MessagePort among the active resources.
    const ports = () => process.getActiveResourcesInfo().filter((r) => r === "MessagePort").length;
    const idle = ports();
    let during = -1;
    await pool.run(
      [
        { type: "sweeps", from: 0, to: 1, n0: 0, count: 1 },
        { type: "sweeps", from: 1, to: 3, n0: 0, count: 1 },
      ],
      () => {
        during = ports();
      },
    );
    expect(during).toBe(idle + 2);
    expect(ports()).toBe(idle);
  });

  test("an error event of a worker rejects its job at once; a late reply is ignored", async () => {
    // A job that would run for minutes: the error, not the reply, must end the call.
    const long = { type: "sweeps" as const, from: 0, to: 3, n0: 0, count: 1e7 };
    const busy = threads()[0];
    await expect(pool.run([long], () => busy.emit("error", new Error("busy")))).rejects.toThrow(/^busy$/);
    await busy.terminate();
    expect(pool.started).toBe(false);
    expect(threads().length).toBe(0);
    await pool.run([], () => {});
    await expect(
      pool.run([{ type: "sweeps", from: 0, to: 3, n0: 0, count: 1 }], () =>
        threads()[0].emit("error", new Error("boom")),
      ),
    ).rejects.toThrow(/^boom$/);
    // The worker's real reply arrives later and settles nothing; the next job works.
    await new Promise((r) => setTimeout(r, 50));
    const start = spins.slice();
    await pool.run([{ type: "sweeps", from: 0, to: 3, n0: 1, count: 1 }], () => {});
    expect(Array.from(spins)).toEqual(Array.from(referenceSpins(4, 6, 4, start, 1, 1)));
  });

  test("a worker that stops with a job out: run rejects plainly, the others stop, the next run starts afresh", async () => {
    const long = { type: "sweeps" as const, from: 1, to: 2, n0: 0, count: 1e7 };
    const workers = [...threads()];
    await expect(
      pool.run([long, { ...long, from: 2, to: 3 }], () => void workers[0].terminate()),
    ).rejects.toThrow(/^mcmc-gpu CPU worker stopped \(exit code 1\) with a job out$/);
    expect(pool.started).toBe(false);
    // The other worker was stopped too: nothing writes the spins any more.
    await new Promise((r) => setTimeout(r, 100));
    expect(workers[1].threadId).toBe(-1);
    const start = spins.slice();
    await pool.run([{ type: "sweeps", from: 0, to: 3, n0: 2, count: 1 }], () => {});
    expect(pool.started).toBe(true);
    expect(Array.from(spins)).toEqual(Array.from(referenceSpins(4, 6, 4, start, 2, 1)));
    // dispose() while a job is out: the job fails instead of waiting forever.
    const out = expect(pool.run([long], () => {})).rejects.toThrow(
      /^mcmc-gpu CPU worker stopped \(exit code 1\) with a job out$/,
    );
    await new Promise((r) => setTimeout(r, 20));
    await pool.dispose();
    await out;
  });

  test("dispose then run: the pool starts fresh workers", async () => {
    await pool.dispose();
    expect(pool.started).toBe(false);
    const start = spins.slice();
    await pool.run(
      [
        { type: "sweeps", from: 1, to: 2, n0: 0, count: 2 },
        { type: "sweeps", from: 2, to: 3, n0: 1, count: 1 },
      ],
      () => e.sweeps(0, 1, 1, 1),
    );
    expect(pool.started).toBe(true);
    const ref = referenceSpins(4, 6, 4, start, 0, 2);
    expect(Array.from(spins.subarray(n, 2 * n))).toEqual(Array.from(ref.subarray(n, 2 * n)));
    const later = referenceSpins(4, 6, 4, start, 1, 1);
    expect(Array.from(spins.subarray(0, n))).toEqual(Array.from(later.subarray(0, n)));
    expect(Array.from(spins.subarray(2 * n))).toEqual(Array.from(later.subarray(2 * n)));
  });
});

describe("WorkerPool with model-sampler jobs", () => {
  const { chains, shared, ref } = xyEnginePair();
  const pool = new WorkerPool(1, shared.desc);
  afterAll(() => pool.dispose());
  const same = () => {
    expect(Array.from(shared.state.spins)).toEqual(Array.from(ref.state.spins));
    expect(Array.from(new Float64Array(shared.desc.stats))).toEqual(
      Array.from(new Float64Array(ref.desc.stats)),
    );
  };

  test("model-sweeps jobs carry the couplings and the adaptation switch", async () => {
    // New couplings, adaptation off (the engine's default is on).
    shared.setCouplings([0.8]);
    shared.setAdapting(false);
    await pool.run(
      [{ type: "model-sweeps", from: 1, to: 3, n0: 2, count: 3, adapting: false, couplings: [0.8] }],
      () => shared.sweeps(0, 1, 2, 3),
    );
    ref.setCouplings([0.8]);
    ref.setAdapting(false);
    ref.sweeps(0, chains, 2, 3);
    same();
    // Same couplings again, adaptation on.
    shared.setAdapting(true);
    await pool.run(
      [{ type: "model-sweeps", from: 1, to: 3, n0: 5, count: 2, adapting: true, couplings: [0.8] }],
      () => shared.sweeps(0, 1, 5, 2),
    );
    ref.setAdapting(true);
    ref.sweeps(0, chains, 5, 2);
    same();
  });

  test("model-split jobs: the sites of each colour over 2 threads equal one thread", async () => {
    const barrier = barrierBuffer();
    const counts = new SharedArrayBuffer(8 * 2 * chains);
    shared.setCouplings([-0.7]);
    await pool.run(
      [
        {
          type: "model-split",
          part: 1,
          parts: 2,
          n0: 4,
          count: 3,
          barrier: barrier.buffer as SharedArrayBuffer,
          counts,
          adapting: true,
          couplings: [-0.7],
        },
      ],
      () => shared.sweepsSplit(0, 2, 4, 3, barrier, new Float64Array(counts)),
    );
    ref.setCouplings([-0.7]);
    ref.sweeps(0, chains, 4, 3);
    same();
  });

  test("a square-kernel job sent to model workers fails plainly", async () => {
    await expect(pool.run([{ type: "sweeps", from: 0, to: 1, n0: 0, count: 1 }], () => {})).rejects.toThrow(
      /^mcmc-gpu CPU worker failed: Error: worker used before init\n/,
    );
  });
});

describe("barrier", () => {
  test("one party passes at once; a wait on an aborted barrier throws", () => {
    const b = barrierBuffer();
    expect(b.length).toBe(3);
    barrierWait(b, 1);
    barrierWait(b, 1);
    expect(Array.from(b)).toEqual([0, 2, 0]);
    barrierAbort(b);
    expect(Array.from(b)).toEqual([0, 3, 1]);
    expect(() => barrierWait(b, 2)).toThrow(/^mcmc-gpu: another sampler thread failed$/);
  });
});

describe("worker start-up", () => {
  test("from a process whose flags lack the source condition, the workers are given it", async () => {
    const e = intEngine(4, 6, 4);
    const spins = new Int8Array(e.desc.spins);
    const saved = process.execArgv;
    const without: string[] = [];
    for (let i = 0; i < saved.length; i++) {
      if (saved[i] === "--conditions" && saved[i + 1] === "@physml/source") i++;
      else if (!saved[i].includes("@physml/source")) without.push(saved[i]);
    }
    process.execArgv = without;
    const pool = new WorkerPool(1, e.desc);
    try {
      const start = spins.slice();
      await pool.run([{ type: "sweeps", from: 0, to: 3, n0: 0, count: 1 }], () => {});
      expect(Array.from(spins)).toEqual(Array.from(referenceSpins(4, 6, 4, start, 0, 1)));
    } finally {
      process.execArgv = saved;
      await pool.dispose();
    }
  });

  // Also starts a pool here, so that Stryker's per-test coverage sends start-up mutants to this
  // test (the child process runs the active mutant through the environment).
  test("under the test runner and in a plain Node process: the job runs, the process exits after", async () => {
    const e = intEngine(4, 6, 4);
    const pool = new WorkerPool(1, e.desc);
    try {
      await pool.run([{ type: "sweeps", from: 0, to: 3, n0: 0, count: 1 }], () => {});
    } finally {
      await pool.dispose();
    }
    const script = fileURLToPath(new URL("../../test/pool-child.ts", import.meta.url));
    const r = spawnSync(process.execPath, ["--conditions=@physml/source", "--import", "tsx", script], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("ok\n");
  });
});
