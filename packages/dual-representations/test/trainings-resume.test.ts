// A dualrep run checkpoints after every finished training: killed while writing checkpoint k + 1
// and resumed, it keeps the k finished trainings, trains only the rest, and ends as the
// uninterrupted run (same result apart from wall-clock seconds, same metrics.jsonl); a checkpoint
// that does not fit the run is refused naming its field under `resume.`.
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import type { Run } from "@physml/runs";
import { CheckpointKill, killedAtCheckpoint, timelessCheckpoint } from "@physml/runs/testing";
import { describe, expect, it } from "vitest";
import { runChain, runFourier, runIsing2d } from "../src/run/runners.js";
import { TrainingFiles, trainingFile } from "../src/run/training-files.js";
import type { EpochMetrics } from "../src/train/fit.js";
import { checkTrainingsCheckpoint } from "../src/train/trainings.js";

const fresh = async () => join(await mkdtemp(join(tmpdir(), "physml-dualrep-resume-")), "run");
const text = (dir: string, file: string) => readFile(join(dir, file), "utf8");

/** Every finished training's file of run `a` equals run `b`'s, byte for byte. */
async function sameTrainingFiles(a: string, b: string): Promise<void> {
  const names = (await readdir(join(b, "trainings"))).filter((n) => !n.startsWith("."));
  expect((await readdir(join(a, "trainings"))).filter((n) => !n.startsWith("."))).toEqual(names);
  expect(names.length).toBeGreaterThan(0);
  for (const n of names) expect(await text(a, `trainings/${n}`)).toBe(await text(b, `trainings/${n}`));
}

/** Drops what differs between two runs of the same config: wall-clock times and the directory. */
function timeless(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(timeless);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k !== "seconds" && k !== "trainingSeconds" && k !== "out")
      .map(([k, x]) => [k, timeless(x)]),
  );
}

// n = 3, 4 with two autoencoder runs each: 8 trainings (original, dual, autoencoder 1, 2 per n)
const CHAIN = { sites: 8, n: [3, 4], epochs: 3, perClass: 32, hidden: 8, autoencoderRuns: 2, width: 8 };
// position, fourier, learned, learned+separation
const FOURIER = { length: 8, examples: 64, epochs: 2 };
// per pair: spins, structure factor, dft, learned, learned+separation
const ISING_DFT = {
  L: 4,
  temperatures: [1.5],
  samples: 64,
  chains: 4,
  warmup: 50,
  every: 1,
  epochs: 2,
  hidden: 4,
  dftFrontEnd: true,
};

describe("dualrep runs resume from the last finished training", () => {
  it("chain: killed writing the 6th checkpoint (n=4 dual), resumed, equals the uninterrupted run", async () => {
    const whole = await fresh();
    const ref = await runChain(CHAIN, { out: whole });
    expect(ref.validation.passed).toBe(true);

    const out = await fresh();
    await expect(killedAtCheckpoint(5, () => runChain(CHAIN, { out }))).rejects.toThrow(CheckpointKill);
    expect(await readdir(out)).not.toContain("result.json");

    const trained: string[] = [];
    const said: string[] = [];
    const resumed = await runChain(
      {},
      {
        out,
        resume: true,
        onEpoch: (tag, m: EpochMetrics) => trained.push(`${tag} ${m.epoch}`),
        onResume: (s) => said.push(s),
      },
    );
    expect(said).toEqual(["resuming from checkpoint/step-00000015.json: 5 finished trainings kept"]);
    // only the trainings after the checkpoint ran: n=4 dual and its two autoencoders, 3 epochs each
    expect(new Set(trained.map((t) => t.replace(/ \d+$/, "")))).toEqual(
      new Set(["n=4 dual", "n=4 autoencoder 1/2", "n=4 autoencoder 2/2"]),
    );
    expect(trained).toHaveLength(9);
    expect(timeless(resumed)).toEqual(timeless(ref));
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
    const last = timelessCheckpoint(join(out, "checkpoint/step-00000024.json")) as {
      state: { trainings: { tag: string; file: string }[] };
    };
    expect(timeless(last)).toEqual(
      timeless(timelessCheckpoint(join(whole, "checkpoint/step-00000024.json"))),
    );
    // the checkpoint refers to the finished trainings, each stored once in its own file
    expect(last.state.trainings).toHaveLength(8);
    last.state.trainings.forEach((t: { tag: string; file: string }, i: number) => {
      expect(Object.keys(t).sort()).toEqual(["file", "tag"]);
      expect(t.file).toBe(trainingFile(i));
    });
    await sameTrainingFiles(out, whole);
    const stored = JSON.parse(await text(out, trainingFile(7)));
    expect(stored.tag).toBe("n=4 autoencoder 2/2");
    expect(stored.history).toHaveLength(3);
  });

  it.each([
    ["conv encoder", {}],
    ["conv encoder and conv decoder", { decoder: "conv" as const }],
  ])(
    "chain with the %s: its kernels taken back from a checkpoint give the same σ overlap",
    async (_, dec) => {
      const conv = { ...CHAIN, encoder: "conv" as const, channels: 3, ...dec };
      const whole = await fresh();
      const ref = await runChain(conv, { out: whole });
      const out = await fresh();
      // killed writing the 4th checkpoint: n=3 autoencoder 1/2 (conv kernels) is kept, 2/2 is not
      await expect(killedAtCheckpoint(3, () => runChain(conv, { out }))).rejects.toThrow(CheckpointKill);
      const resumed = await runChain({}, { out, resume: true });
      const spec = { kind: "conv", kernel: 3, channels: 3 };
      expect(ref.rows[0].autoencoder?.encoder).toEqual(spec);
      expect(ref.rows[0].autoencoder?.decoder).toEqual("decoder" in dec ? spec : { kind: "dense" });
      expect(timeless(resumed)).toEqual(timeless(ref));
      expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
      await sameTrainingFiles(out, whole);
    },
  );

  it("fourier: the learned maps taken back from a checkpoint give the same band alignment", async () => {
    const whole = await fresh();
    const ref = await runFourier(FOURIER, { out: whole });
    const out = await fresh();
    // killed after position, fourier and the learned map: only learned+separation trains again
    await expect(killedAtCheckpoint(3, () => runFourier(FOURIER, { out }))).rejects.toThrow(CheckpointKill);
    const trained = new Set<string>();
    const resumed = await runFourier({}, { out, resume: true, onEpoch: (tag) => trained.add(tag) });
    expect([...trained]).toEqual(["learned+separation"]);
    expect(timeless(resumed)).toEqual(timeless(ref));
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
  });

  it("fourier --shared-hidden: the shared classifier behind a learned map is taken back from a checkpoint", async () => {
    const config = { ...FOURIER, task: "signal-noise", sharedHidden: 3 };
    const whole = await fresh();
    const ref = await runFourier(config, { out: whole });
    const out = await fresh();
    // the four per-coordinate trainings, then shared position, fourier and learned: killed there
    await expect(killedAtCheckpoint(7, () => runFourier(config, { out }))).rejects.toThrow(CheckpointKill);
    const trained = new Set<string>();
    const resumed = await runFourier({}, { out, resume: true, onEpoch: (tag) => trained.add(tag) });
    expect([...trained]).toEqual(["shared learned+separation"]);
    expect(resumed.shared?.learned.fourierConcentration).toBeGreaterThan(0);
    expect(timeless(resumed)).toEqual(timeless(ref));
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
  });

  it.each(["dense", "separable"] as const)(
    "ising2d --dft-front-end --map %s: the learned maps taken back from a checkpoint give the same measures",
    async (map) => {
      const whole = await fresh();
      const config = { ...ISING_DFT, map };
      const ref = await runIsing2d(config, { out: whole });
      expect(ref.rows[0].dual.dft?.map.kind).toBe(map);
      expect(ref.rows[0].dual.dft?.learnedWithSeparation.orthogonalityResidual).toBeGreaterThan(0);
      const out = await fresh();
      // killed writing the 5th checkpoint: the original pair's learned+separation and the dual pair train again
      await expect(killedAtCheckpoint(4, () => runIsing2d(config, { out }))).rejects.toThrow(CheckpointKill);
      const trained = new Set<string>();
      const said: string[] = [];
      const resumed = await runIsing2d(
        {},
        { out, resume: true, onEpoch: (tag) => trained.add(tag), onResume: (m) => said.push(m) },
      );
      expect(said).toEqual(["resuming from checkpoint/step-00000008.json: 4 finished trainings kept"]);
      expect([...trained]).toEqual([
        "T0=1.5 original learned+separation",
        ...["spins", "structure factor", "dft", "learned", "learned+separation"].map(
          (t) => `T0=1.5 dual ${t}`,
        ),
      ]);
      expect(timeless(resumed)).toEqual(timeless(ref));
      expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
    },
  );

  it("chain with the affine correlation readout: killed inside an autoencoder's training, resumed, bit for bit", async () => {
    const opts = {
      ...CHAIN,
      n: [3],
      autoencoderRuns: 1,
      correlationWeight: 10,
      correlationReadout: "affine" as const,
    };
    const whole = await fresh();
    const ref = await runChain(opts, { out: whole, checkpointSeconds: 0 });
    const out = await fresh();
    // checkpoints after every epoch: original 1–3, dual 1–3, autoencoder 1; dies writing its epoch 2
    await expect(killedAtCheckpoint(7, () => runChain(opts, { out, checkpointSeconds: 0 }))).rejects.toThrow(
      CheckpointKill,
    );
    const said: string[] = [];
    const resumed = await runChain(
      {},
      { out, resume: true, checkpointSeconds: 0, onResume: (m) => said.push(m) },
    );
    expect(said[0]).toMatch(/n=3 autoencoder 1\/1 continues after epoch 1/);
    expect(ref.rows[0].autoencoder?.correlationReadout).toBe("affine");
    expect(timeless(resumed)).toEqual(timeless(ref));
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
    await sameTrainingFiles(out, whole);
    // the readout's a and b were trained (moved off their start 1, 0) and stored with the network
    const ro = JSON.parse(JSON.parse(await text(out, trainingFile(2))).params).ro;
    expect(ro.a.data[0]).not.toBe(1);
    expect(ro.b.data[0]).not.toBe(0);
  });

  it("killed inside a training, resumed from its mid-training checkpoint: bit for bit the uninterrupted run", async () => {
    const opts = { ...FOURIER, epochs: 3 };
    const whole = await fresh();
    const ref = await runFourier(opts, { out: whole, checkpointSeconds: 0 });
    const out = await fresh();
    // checkpoints after every epoch: position 1, 2, 3 (finished), fourier 1; dies writing fourier's epoch 2
    await expect(
      killedAtCheckpoint(4, () => runFourier(opts, { out, checkpointSeconds: 0 })),
    ).rejects.toThrow(CheckpointKill);
    const trained: string[] = [];
    const said: string[] = [];
    const resumed = await runFourier(
      {},
      {
        out,
        resume: true,
        checkpointSeconds: 0,
        onEpoch: (tag, m) => trained.push(`${tag} ${m.epoch}`),
        onResume: (m) => said.push(m),
      },
    );
    expect(said).toEqual([
      "resuming from checkpoint/step-00000004.json: 1 finished trainings kept, fourier continues after epoch 1",
    ]);
    expect(trained.slice(0, 3)).toEqual(["fourier 2", "fourier 3", "learned 1"]);
    expect(timeless(resumed)).toEqual(timeless(ref));
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
    // the newest checkpoint (its seconds of work aside) and every finished training's file: the same bits
    expect(timeless(timelessCheckpoint(join(out, "checkpoint/step-00000012.json")))).toEqual(
      timeless(timelessCheckpoint(join(whole, "checkpoint/step-00000012.json"))),
    );
    await sameTrainingFiles(out, whole);
  });

  it("a checkpoint that does not fit the run is refused, naming the field under resume.", async () => {
    const out = await fresh();
    await expect(killedAtCheckpoint(2, () => runFourier(FOURIER, { out }))).rejects.toThrow(CheckpointKill);
    const file = join(out, "checkpoint/step-00000004.json");
    const cp = JSON.parse(await readFile(file, "utf8"));
    // a finished training (its reference and its file) under another tag than the run's
    cp.state.trainings[1].tag = "dense fourier";
    await writeFile(file, JSON.stringify(cp));
    const stored = join(out, trainingFile(1));
    await writeFile(
      stored,
      JSON.stringify({ ...JSON.parse(await readFile(stored, "utf8")), tag: "dense fourier" }),
    );
    await expect(runFourier({}, { out, resume: true })).rejects.toMatchObject({
      field: "resume.trainings.1.tag",
    });
    // a reference to another file, or to a file holding another training, is refused by its field
    const files = new TrainingFiles({ file: (n: string) => join(out, n) } as unknown as Run<unknown>);
    expect(() => files.read({ trainings: [{ tag: "position", file: trainingFile(1) }] })).toThrow(
      expect.objectContaining({ field: "resume.trainings.0.file" }),
    );
    expect(() => files.read({ trainings: [{ tag: "fourier", file: trainingFile(0) }] })).toThrow(
      expect.objectContaining({ field: "resume.trainings.0.file" }),
    );
    // killed writing the 3rd checkpoint: the 3rd training's file was written just before (as a kill
    // at that instant leaves it), the 4th has none
    const missing = ["position", "dense fourier", "learned", "learned+separation"].map((tag, i) => ({
      tag,
      file: trainingFile(i),
    }));
    const read = files.read({ trainings: missing.slice(0, 3) }) as {
      trainings: { tag: string; params: string }[];
    };
    expect(read.trainings.map((t) => t.tag)).toEqual(["position", "dense fourier", "learned"]);
    expect(typeof read.trainings[0].params).toBe("string");
    expect(() => files.read({ trainings: missing })).toThrow(
      expect.objectContaining({ field: "resume.trainings.3.file" }),
    );
    // a training in progress whose Adam moments do not fit the model
    const mid = await fresh();
    await expect(
      killedAtCheckpoint(1, () => runFourier(FOURIER, { out: mid, checkpointSeconds: 0 })),
    ).rejects.toThrow(CheckpointKill);
    const midFile = join(mid, "checkpoint/step-00000001.json");
    const midCp = JSON.parse(await readFile(midFile, "utf8"));
    expect(midCp.state.current.tag).toBe("position");
    midCp.state.current.adam.m = midCp.state.current.adam.v.replace(/\]\}\]$/, ",0]}]");
    await writeFile(midFile, JSON.stringify(midCp));
    await expect(runFourier({}, { out: mid, resume: true })).rejects.toMatchObject({
      field: "resume.current.adam.m",
    });
    await expect(runFourier({}, { out: mid, resume: true })).rejects.toBeInstanceOf(PhysmlInputError);

    expect(() => checkTrainingsCheckpoint({})).toThrow(
      expect.objectContaining({ field: "resume.trainings" }),
    );
    const one = {
      tag: "position",
      params: "{}",
      history: [{ epoch: 2, loss: 1, trainAccuracy: 0.5, testAccuracy: 0.5 }],
    };
    expect(() => checkTrainingsCheckpoint({ trainings: [one] })).toThrow(
      expect.objectContaining({ field: "resume.trainings.0.history.0.epoch" }),
    );
    const nan = { ...one, history: [{ ...one.history[0], epoch: 1, loss: Number.NaN }] };
    expect(() => checkTrainingsCheckpoint({ trainings: [nan] })).toThrow(
      expect.objectContaining({ field: "resume.trainings.0.history.0" }),
    );
  });
});
