// A symmetry run's training checkpoints in its run directory: killed as it writes a checkpoint
// and resumed, it trains only the epochs after the last one written and ends bit for bit as the
// uninterrupted run (result, metrics.jsonl, arrays, final parameters); a checkpoint that does not
// fit the run is refused naming its field under `resume.`.
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveParams } from "@physml/autodiff/nn";
import { refusal } from "@physml/lattice-core/testing";
import { CheckpointError } from "@physml/runs";
import { CheckpointKill, killedAtCheckpoint, timelessCheckpoint } from "@physml/runs/testing";
import { afterAll, describe, expect, it } from "vitest";
import { CICY_LIST_MISSING, cicyListForTests } from "../../test/cicy-list.js";
import { type CicyMetrics, trainCicy } from "../cicy/model.js";
import { POTENTIALS } from "../data/potentials.js";
import { samplePotential } from "../data/sample.js";
import { type EpochMetrics, trainClassifier } from "../model/classifier.js";
import { embedPotential } from "../pipeline/potential.js";
import { checkTrainingCheckpoint, type TrainingCheckpoint } from "./checkpoint.js";
import { inSymmetryRun } from "./run.js";
import { trainingRun } from "./training-run.js";

const root = await mkdtemp(join(tmpdir(), "symmetry-resume-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const text = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
const resolve = (i: unknown) => ({ seed: 1, ...(i as object) }) as { seed: number };

// target 1 is never exceeded: every run trains exactly maxEpochs epochs
const CLASSIFIER = { hidden: [8], embedding: 4, maxEpochs: 4, targetAccuracy: 1, batch: 32 };
const POT = POTENTIALS["double-well"](2);

/** A potential run as `physml symmetry potential` does it, on 6 × 20 points; epochs trained go to `trained`. */
function potentialRun(out: string, trained: number[], said: string[], resume = false) {
  return inSymmetryRun(
    "symmetry-test",
    resume ? {} : { seed: 3 },
    resolve,
    { out, resume },
    async (c, run) => {
      const t = trainingRun<EpochMetrics>(run, "classifier", {
        checkpointSeconds: 0,
        onResume: (m) => said.push(m),
      });
      const stage = embedPotential(POT, {
        perClass: 20,
        seed: c.seed,
        classifier: CLASSIFIER,
        checkpoints: t.checkpoints,
        onEpoch: (m) => {
          trained.push(m.epoch);
          t.record(m);
        },
      });
      run.writeArray("embeddings", stage.embedding, [stage.data.n, 4]);
      const { accuracy, history } = stage.trained;
      return {
        result: {
          accuracy,
          history,
          params: saveParams(stage.trained.state.params),
          neighbours: stage.neighbours,
        },
        report: "<html></html>",
      };
    },
  );
}

// 40 CICYs, a small MLP, fresh arrangements every epoch and a decaying learning rate (the
// schedule reads Adam's step count from the checkpoint)
const { cicys: allCicys } = await cicyListForTests();
const CICYS = allCicys.filter((_, i) => i % 197 === 0);
const CICY_CFG = {
  seed: 2,
  widths: [16, 8],
  copies: 2,
  batch: 16,
  lrDecay: 0.9,
  maxEpochs: 3,
  targetAccuracy: 1,
};
const timeless = (h: readonly CicyMetrics[]) => h.map(({ seconds: _, ...m }) => m);

describe("symmetry trainings checkpoint in their run directory and resume bit for bit", () => {
  it("potential classifier: killed writing epoch 3's checkpoint, resumed after epoch 2, equals the uninterrupted run", async () => {
    const whole = join(root, "whole");
    const ref = await potentialRun(whole, [], []);
    expect(ref.result.history.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    const out = join(root, "killed");
    await expect(killedAtCheckpoint(2, () => potentialRun(out, [], []))).rejects.toThrow(CheckpointKill);
    const trained: number[] = [];
    const said: string[] = [];
    const resumed = await potentialRun(out, trained, said, true);
    expect(said).toEqual(["resuming from checkpoint/step-00000002.json after epoch 2"]);
    expect(trained).toEqual([3, 4]);
    expect({ ...resumed.result, out: "" }).toEqual({ ...ref.result, out: "" });
    expect(text(out, "metrics.jsonl")).toBe(text(whole, "metrics.jsonl"));
    expect(
      readFileSync(join(out, "arrays/embeddings.npy")).equals(
        readFileSync(join(whole, "arrays/embeddings.npy")),
      ),
    ).toBe(true);
    // the last epoch is checkpointed too: the final checkpoints are the same bits (seconds of work aside)
    expect(timelessCheckpoint(join(out, "checkpoint/step-00000004.json"))).toEqual(
      timelessCheckpoint(join(whole, "checkpoint/step-00000004.json")),
    );
  });

  it.skipIf(CICY_LIST_MISSING)(
    "CICY network: a training continued from its epoch-1 checkpoint equals the uninterrupted one",
    () => {
      const saved: TrainingCheckpoint<CicyMetrics>[] = [];
      const ref = trainCicy(CICYS, CICY_CFG, undefined, {
        from: null,
        save: (cp) => saved.push(JSON.parse(JSON.stringify(cp))),
        seconds: 0,
      });
      expect(saved.map((cp) => cp.history.length)).toEqual([1, 2, 3]);
      const trained: number[] = [];
      const from = checkTrainingCheckpoint<CicyMetrics>(saved[0], "cicy");
      const resumed = trainCicy(CICYS, CICY_CFG, (m) => trained.push(m.epoch), {
        from,
        save: () => {},
        seconds: 0,
      });
      expect(trained).toEqual([2, 3]);
      expect(timeless(resumed.history)).toEqual(timeless(ref.history));
      expect(resumed.history[2].samples).toBe(3 * resumed.history[0].samples);
      expect(resumed.history[1].seconds).toBeGreaterThanOrEqual(resumed.history[0].seconds);
      expect(saveParams(resumed.state.params)).toBe(saveParams(ref.state.params));
      expect(resumed.state.opt.step).toBe(ref.state.opt.step);
    },
  );

  it("a checkpoint that does not fit the run is refused, naming its field under resume.", async () => {
    const saved: TrainingCheckpoint<EpochMetrics>[] = [];
    const data = samplePotential(POT, { perClass: 20, seed: 3 });
    const cfg = { ...CLASSIFIER, maxEpochs: 2, seed: 4 };
    trainClassifier(data, cfg, undefined, { from: null, save: (cp) => saved.push(cp), seconds: 0 });
    const [cp] = saved;
    const continued = (from: TrainingCheckpoint<EpochMetrics>, c = cfg) =>
      trainClassifier(data, c, undefined, { from, save: () => {}, seconds: 0 });
    const refused = (f: () => unknown, field: string) => expect(refusal(f).field).toBe(field);
    // parameters of another network, Adam moments of the wrong sizes, more epochs than the run has
    refused(() => continued(cp, { ...cfg, hidden: [9] }), "resume.params");
    refused(
      () => continued({ ...cp, adam: { ...cp.adam, m: cp.adam.v.replace(/\]\}\]$/, ",0]}]") } }),
      "resume.adam.m",
    );
    refused(() => continued(saved[1], { ...cfg, maxEpochs: 1 }), "resume.history");
    // the form, checked as the run loads it
    refused(() => checkTrainingCheckpoint(cp, "cicy"), "resume.training");
    refused(
      () => checkTrainingCheckpoint({ ...cp, history: [{ ...cp.history[0], epoch: 2 }] }, "classifier"),
      "resume.history.0.epoch",
    );
    refused(
      () =>
        checkTrainingCheckpoint(
          { ...cp, history: [{ epoch: 1, loss: Number.NaN, accuracy: 0.5 }] },
          "classifier",
        ),
      "resume.history.0",
    );
    refused(() => checkTrainingCheckpoint({ ...cp, adam: 3 }, "classifier"), "resume.adam");
    // in a run directory whose every checkpoint is of another training: one line naming the field
    const out = join(root, "bad");
    await expect(killedAtCheckpoint(1, () => potentialRun(out, [], []))).rejects.toThrow(CheckpointKill);
    const file = join(out, "checkpoint/step-00000001.json");
    const stored = JSON.parse(text(out, "checkpoint/step-00000001.json"));
    stored.state.training = "cicy";
    writeFileSync(file, JSON.stringify(stored));
    const e = await potentialRun(out, [], [], true).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CheckpointError);
    expect((e as Error).message).toMatch(/resume\.training: expected "classifier", got cicy/);
  });
});
