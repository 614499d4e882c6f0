// worker.ts's message handling on this thread: `parentPort` is replaced by a port that records
// the replies, so every request type of the WorkerRequest union runs here (pool.test.ts runs the
// same code in real worker threads, where coverage tools and Stryker's per-test analysis cannot
// see it). Truths: SPEC.md's per-site reference, lattice-core's term sums and shape features,
// and for model jobs the same work on a separate copy of the engine.
import { linkVariables, N_TERMS, shapeFeatures, squareLattice, termSums } from "@physml/lattice-core";
import { describe, expect, test, vi } from "vitest";
import { CHAINS, intEngine, referenceSpins } from "../../test/pool-fixture.js";
import { xyEnginePair } from "../../test/xy-engine-pair.js";
import { barrierBuffer } from "./barrier.js";
import { N_FEATURES } from "./measure.js";
import type { WorkerReply, WorkerRequest } from "./worker.js";

const port = vi.hoisted(() => ({
  listeners: [] as ((msg: unknown) => void)[],
  replies: [] as unknown[],
  on(name: string, f: (msg: unknown) => void) {
    if (name === "message") this.listeners.push(f);
  },
  postMessage(reply: unknown) {
    this.replies.push(reply);
  },
}));
vi.mock("node:worker_threads", () => ({ parentPort: port }));
await import("./worker.js");

/** Sends one request the way the pool does and returns the worker's reply. */
function send(msg: WorkerRequest): WorkerReply {
  port.replies.length = 0;
  for (const f of port.listeners) f(msg);
  expect(port.replies.length).toBe(1);
  return port.replies[0] as WorkerReply;
}

describe("worker message handling (on this thread)", () => {
  test("listens once; jobs before their init fail with the reason and the stack, under the job's id", () => {
    expect(port.listeners.length).toBe(1);
    const a = send({ type: "sweeps", id: 41, from: 0, to: 1, n0: 0, count: 1 });
    expect(a.id).toBe(41);
    expect(a.error).toMatch(/^Error: worker used before init\n\s+at /);
    const b = send({
      type: "model-sweeps",
      id: 42,
      from: 0,
      to: 1,
      n0: 0,
      count: 1,
      adapting: false,
      couplings: [],
    });
    expect(b.id).toBe(42);
    expect(b.error).toMatch(/^Error: worker used before model-init\n\s+at /);
  });

  // The worker's Engine is built over the same shared buffers as `e` here.
  const e = intEngine(4, 6, 4);
  const n = 24;
  const spins = new Int8Array(e.desc.spins);

  test("init, then sweeps and split jobs: SPEC.md's result on exactly the chains sent", () => {
    expect(send({ type: "init", id: 1, desc: e.desc })).toEqual({ id: 1 });
    let start = spins.slice();
    expect(send({ type: "sweeps", id: 2, from: 1, to: 3, n0: 5, count: 2 })).toEqual({ id: 2 });
    const ref = referenceSpins(4, 6, 4, start, 5, 2);
    expect(Array.from(spins.subarray(0, n))).toEqual(Array.from(start.subarray(0, n)));
    expect(Array.from(spins.subarray(n))).toEqual(Array.from(ref.subarray(n)));
    // One part of one: the whole sweep, with a barrier that every colour passes at once.
    start = spins.slice();
    const barrier = barrierBuffer();
    const split = { type: "split" as const, id: 3, part: 0, parts: 1, n0: 8, count: 2 };
    expect(send({ ...split, barrier: barrier.buffer as SharedArrayBuffer })).toEqual({ id: 3 });
    expect(Array.from(spins)).toEqual(Array.from(referenceSpins(4, 6, 4, start, 8, 2)));
    expect(Array.from(barrier)).toEqual([0, 8, 0]);
  });

  for (const keep of [true, false]) {
    test(`measure job, configurations ${keep ? "kept" : "not kept"}: rows from lattice-core`, () => {
      const start = spins.slice();
      const samples = 2;
      const terms = new SharedArrayBuffer(CHAINS * samples * N_TERMS * 8);
      const features = new SharedArrayBuffer(CHAINS * samples * N_FEATURES * 8);
      const configurations = keep ? new SharedArrayBuffer(CHAINS * samples * n) : null;
      const job = { type: "measure" as const, id: 4, from: 0, to: 3, n0: 1, sweeps: 5, every: 2, samples };
      expect(send({ ...job, terms, features, configurations })).toEqual({ id: 4 });
      const lattice = squareLattice(4, 6);
      const t64 = new Float64Array(terms);
      const f64 = new Float64Array(features);
      for (let t = 0; t < samples; t++) {
        const ref = referenceSpins(4, 6, 4, start, 1, 2 * (t + 1));
        for (let c = 0; c < CHAINS; c++) {
          const row = c * samples + t;
          const conf = ref.subarray(c * n, (c + 1) * n);
          expect(Array.from(t64.subarray(row * N_TERMS, (row + 1) * N_TERMS))).toEqual(
            Array.from(termSums(lattice, conf)),
          );
          const f = shapeFeatures(lattice, linkVariables(lattice, conf));
          for (let a = 0; a < N_FEATURES; a++) expect(f64[row * N_FEATURES + a]).toBeCloseTo(f[a], 12);
          if (configurations)
            expect(Array.from(new Int8Array(configurations, row * n, n))).toEqual(Array.from(conf));
        }
      }
      expect(Array.from(spins)).toEqual(Array.from(referenceSpins(4, 6, 4, start, 1, 5)));
    });
  }

  test("model-init, model-sweeps (couplings and adaptation switch) and model-split jobs", () => {
    const { chains, shared, ref, spins: s } = xyEnginePair();
    const same = () => {
      expect(Array.from(s)).toEqual(Array.from(ref.state.spins));
      expect(Array.from(new Float64Array(shared.desc.stats))).toEqual(
        Array.from(new Float64Array(ref.desc.stats)),
      );
    };
    expect(send({ type: "model-init", id: 5, desc: shared.desc })).toEqual({ id: 5 });
    // New couplings, adaptation off (the default is on).
    const job = { type: "model-sweeps" as const, id: 6, from: 0, to: 3, n0: 2, count: 3 };
    expect(send({ ...job, adapting: false, couplings: [0.8] })).toEqual({ id: 6 });
    ref.setCouplings([0.8]);
    ref.setAdapting(false);
    ref.sweeps(0, chains, 2, 3);
    same();
    // Same couplings, adaptation on; chains 1 and 2 only.
    expect(send({ ...job, id: 7, from: 1, n0: 5, count: 2, adapting: true, couplings: [0.8] })).toEqual({
      id: 7,
    });
    ref.setAdapting(true);
    ref.sweeps(1, chains, 5, 2);
    same();
    // One part of one, new couplings.
    const barrier = barrierBuffer();
    const split = { type: "model-split" as const, id: 8, part: 0, parts: 1, n0: 9, count: 2 };
    const counts = new SharedArrayBuffer(8 * chains);
    expect(
      send({
        ...split,
        barrier: barrier.buffer as SharedArrayBuffer,
        counts,
        adapting: true,
        couplings: [-0.5],
      }),
    ).toEqual({ id: 8 });
    ref.setCouplings([-0.5]);
    ref.sweeps(0, chains, 9, 2);
    same();
    // The square-kernel engine is still there.
    const start = spins.slice();
    expect(send({ type: "sweeps", id: 9, from: 0, to: 3, n0: 0, count: 1 })).toEqual({ id: 9 });
    expect(Array.from(spins)).toEqual(Array.from(referenceSpins(4, 6, 4, start, 0, 1)));
  });
});
