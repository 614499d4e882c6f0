// `physml integrability lax|perturbation|kdv|connection|scnn --resume` continues an interrupted run from its last checkpoint.
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killedAtCheckpoint, timelessCheckpoint } from "@physml/runs/testing";
import { describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";
import { withOldScnnDefaults } from "../../test/scnn-old-defaults.js";
import { TINY_KDV_FAMILY, TINY_SINE_GORDON_FAMILY } from "../../test/tiny-runs.js";

const fresh = async () => join(await mkdtemp(join(tmpdir(), "physml-lax-resume-")), "run");
const text = (dir: string, file: string) => readFile(join(dir, file), "utf8");
const withoutOut = <T extends { out: string }>({ out: _, ...rest }: T) => rest;
/** A result without its run directory and its timings (which a resumed run measures afresh). */
const withoutOutAndTimes = <
  T extends { out: string; seconds: number; trainSeconds: number; evaluateSeconds: number },
>(
  r: T,
) => {
  const { seconds: _s, trainSeconds: _t, evaluateSeconds: _e, ...rest } = withoutOut(r);
  return rest;
};
const lines = async (dir: string) =>
  (await text(dir, "metrics.jsonl"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

// Hénon–Heiles has no model of its own, so the default ladder runs; it is not integrable, so no
// affine pair is exact and both of its models are trained (checkpoints after Adam steps 50, 100,
// 120 and after the polish, per model), and the kept pair misses its targets (exit 3)
const LAX = [
  ...["integrability", "lax", "--system", "henon-heiles", "--steps", "120", "--lbfgs", "2"],
  ...["--samples", "16"],
];

describe("physml integrability lax --resume", () => {
  it("an interrupted run resumed from its last checkpoint ends as the uninterrupted run: same result, same metrics lines", async () => {
    const whole = await fresh();
    const ref = await run(...LAX, "--out", whole, "--json", "--quiet");
    expect(ref.code).toBe(3);
    const expected = JSON.parse(ref.stdout);
    expect(expected.rungs).toHaveLength(2);

    // the process dies while writing its 6th checkpoint (the second model's Adam step 100)
    const out = await fresh();
    const killed = await killedAtCheckpoint(5, () => run(...LAX, "--out", out, "--json", "--quiet"));
    expect(killed.code).not.toBe(0);
    expect(await readdir(out)).not.toContain("result.json");
    // the thrown kill is a crash: failure.json records it with the exit code the command returned
    expect(JSON.parse(await text(out, "failure.json"))).toMatchObject({
      category: "crash",
      code: killed.code,
    });
    // metrics were written past the last checkpoint: the resume must not repeat them
    const before = (await text(out, "metrics.jsonl"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(before.at(-1)).toMatchObject({ rung: 1, step: 100 });

    const resumed = await run("integrability", "lax", "--out", out, "--resume", "--json");
    expect(resumed.code).toBe(3);
    expect(await readdir(out)).not.toContain("failure.json");
    expect(resumed.stderr).toContain("resuming from checkpoint/");
    expect(resumed.stderr).toContain("model 2 of the ladder (hidden [32, 32]), Adam step 50");
    expect(withoutOut(JSON.parse(resumed.stdout))).toEqual(withoutOut(expected));
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
    // and only the steps after the checkpoint were trained again (progress: one line per record)
    const trained = [...resumed.stderr.matchAll(/^step (\d+):/gm)].map((m) => Number(m[1]));
    const after = before.filter((m) => m.rung === 1 && m.step > 50).map((m) => m.step);
    expect(trained).toEqual([...after, (await lines(whole)).at(-1).step]);
    // the newest checkpoint holds the kept model's learned state (its seconds of work aside)
    const newest = (await readdir(join(out, "checkpoint"))).sort().at(-1) as string;
    const reference = (await readdir(join(whole, "checkpoint"))).sort().at(-1) as string;
    expect(newest).toBe(reference);
    expect(timelessCheckpoint(join(out, "checkpoint", newest))).toEqual(
      timelessCheckpoint(join(whole, "checkpoint", reference)),
    );
  });

  it("a run killed while writing its first checkpoint says it starts over, and ends as the uninterrupted run", async () => {
    const small = [
      "integrability",
      "lax",
      "--system",
      "henon-heiles",
      "--steps",
      "20",
      "--lbfgs",
      "0",
      "--samples",
      "16",
    ];
    const whole = await fresh();
    // 20 Adam steps learn no pair: both runs end in exit 3, with the same result
    const ref = await run(...small, "--out", whole, "--json", "--quiet");
    expect(ref.code).toBe(3);
    const out = await fresh();
    const killed = await killedAtCheckpoint(0, () => run(...small, "--out", out, "--json", "--quiet"));
    expect(killed.code).not.toBe(0);
    expect(await readdir(out)).not.toContain("result.json");
    const resumed = await run("integrability", "lax", "--out", out, "--resume", "--json");
    expect(resumed.code).toBe(3);
    expect(resumed.stderr).toContain(
      "the run stopped before its first checkpoint, so it starts from the beginning",
    );
    expect(resumed.stderr).not.toContain("resuming from checkpoint/");
    expect(withoutOut(JSON.parse(resumed.stdout))).toEqual(withoutOut(JSON.parse(ref.stdout)));
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
  });

  it("a run killed inside its L-BFGS polish continues from the polish's last checkpoint", async () => {
    // the affine pair is exact after 100 polish iterations, so the ladder stops there: checkpoints
    // after Adam step 50, at polish iterations 50 and 100 (steps 100, 150) and after the polish
    const POLISH = [
      "integrability",
      "lax",
      "--system",
      "ho",
      "--steps",
      "50",
      "--lbfgs",
      "150",
      "--samples",
      "32",
    ];
    const whole = await fresh();
    const ref = await run(...POLISH, "--out", whole, "--json", "--quiet");
    expect(ref.code).toBe(0);
    expect((await lines(whole)).at(-1).step).toBe(150);
    expect(JSON.parse(ref.stdout).loss).not.toHaveProperty("step");

    // dies writing the checkpoint of polish iteration 100
    const out = await fresh();
    const killed = await killedAtCheckpoint(2, () => run(...POLISH, "--out", out, "--json", "--quiet"));
    expect(killed.code).not.toBe(0);
    const resumed = await run("integrability", "lax", "--out", out, "--resume", "--json");
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(
      "resuming from checkpoint/step-00000100.json: model 1 of the ladder (hidden []), polish iteration 50",
    );
    // no Adam step was trained again: the only progress line is the polished loss
    expect([...resumed.stderr.matchAll(/^step (\d+):/gm)].map((m) => Number(m[1]))).toEqual([150]);
    expect(withoutOut(JSON.parse(resumed.stdout))).toEqual(withoutOut(JSON.parse(ref.stdout)));
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
  });

  it("kdv: an interrupted run resumed from its last checkpoint ends as the uninterrupted run", async () => {
    // checkpoints after Adam steps 50, 100, 120 and after the polish
    const KDV = [
      ...["integrability", "kdv", "--trajectories", "3", "--grid-points", "64", "--snapshots", "3"],
      ...["--samples", "64", "--steps", "120", "--polish-iter", "2", "--hidden", "4", "--lift", "none"],
      ...["--restarts", "0"],
    ];
    const whole = await fresh();
    const ref = await run(...KDV, "--out", whole, "--json", "--quiet");
    // 120 Adam steps give no connection: the verdict says so (exit 3), and the run is written
    expect(ref.code).toBe(3);
    const expected = withoutOutAndTimes(JSON.parse(ref.stdout));

    const out = await fresh();
    const killed = await killedAtCheckpoint(2, () => run(...KDV, "--out", out, "--json", "--quiet"));
    expect(killed.code).not.toBe(0);
    expect(killed.code).not.toBe(3);
    expect((await lines(out)).at(-1)).toMatchObject({ step: 100 });

    const resumed = await run("integrability", "kdv", "--out", out, "--resume", "--json");
    expect(resumed.code).toBe(3);
    expect(resumed.stderr).toContain("resuming from checkpoint/step-00000100.json: Adam step 100");
    expect([...resumed.stderr.matchAll(/^step (\d+):/gm)].map((m) => Number(m[1]))).toEqual([
      (await lines(whole)).at(-1).step,
    ]);
    const { seconds, trainSeconds, evaluateSeconds, ...got } = withoutOut(JSON.parse(resumed.stdout));
    expect(got).toEqual(expected);
    expect(trainSeconds).toBeGreaterThan(0);
    expect(seconds).toBe(trainSeconds + evaluateSeconds);
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
  });

  it("kdv: a run written before --lift, --restarts and --loss-terms resumes with what it was trained with, as the uninterrupted run given them", async () => {
    // today's defaults differ from what such a run did (quadratic, 2, field): the uninterrupted
    // run is given the old values explicitly
    const KDV = [
      ...["integrability", "kdv", "--trajectories", "3", "--grid-points", "64", "--snapshots", "3"],
      ...["--samples", "64", "--steps", "120", "--polish-iter", "2", "--hidden", "4"],
      ...["--lift", "none", "--restarts", "0", "--loss-terms", "paper"],
    ];
    const whole = await fresh();
    const ref = await run(...KDV, "--out", whole, "--json", "--quiet");
    expect(ref.code).toBe(3);

    const out = await fresh();
    const killed = await killedAtCheckpoint(2, () => run(...KDV, "--out", out, "--json", "--quiet"));
    expect(killed.code).not.toBe(0);
    const file = JSON.parse(await text(out, "config.json"));
    for (const k of ["lift", "restarts", "lossTerms"]) {
      expect(file.config).toHaveProperty(k);
      delete file.config[k];
    }
    await writeFile(join(out, "config.json"), JSON.stringify(file));

    const resumed = await run("integrability", "kdv", "--out", out, "--resume", "--json");
    expect(resumed.stderr).toContain("resuming from checkpoint/step-00000100.json: Adam step 100");
    expect(resumed.code).toBe(3);
    expect(withoutOutAndTimes(JSON.parse(resumed.stdout))).toEqual(
      withoutOutAndTimes(JSON.parse(ref.stdout)),
    );
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
  });

  it("kdv: a run interrupted inside its Levenberg–Marquardt polish resumes there, no finished iteration redone", async () => {
    // checkpoints after Adam step 50, at polish iterations 50 and 100 (steps 100, 150) and after the polish
    const KDV = [
      ...["integrability", "kdv", "--trajectories", "3", "--grid-points", "64", "--snapshots", "3"],
      ...["--samples", "64", "--steps", "50", "--polish-iter", "120", "--hidden", "4", "--lift", "none"],
      ...["--restarts", "0"],
    ];
    const whole = await fresh();
    const ref = await run(...KDV, "--out", whole, "--json", "--quiet");
    const expected = withoutOutAndTimes(JSON.parse(ref.stdout));
    expect((await lines(whole)).map((m) => m.step)).toEqual([0, 50, 100, 150, 170]);

    // dies writing the checkpoint of polish iteration 100: resumed from iteration 50
    const out = await fresh();
    const killed = await killedAtCheckpoint(2, () => run(...KDV, "--out", out, "--json", "--quiet"));
    expect([0, 3]).not.toContain(killed.code);
    const resumed = await run("integrability", "kdv", "--out", out, "--resume", "--json");
    expect(resumed.code).toBe(ref.code);
    expect(resumed.stderr).toContain("resuming from checkpoint/step-00000100.json: polish iteration 50");
    expect([...resumed.stderr.matchAll(/^step (\d+):/gm)].map((m) => Number(m[1]))).toEqual([150, 170]);
    expect(withoutOutAndTimes(JSON.parse(resumed.stdout))).toEqual(expected);
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
  });

  it("connection: an interrupted run resumed from its last checkpoint ends as the uninterrupted run", async () => {
    // 60 Adam steps stall, so one restart follows; each attempt checkpoints after Adam steps 50,
    // 60 and after the polish
    const CONNECTION = [
      ...["integrability", "connection", "--system", "sine-gordon", "--trajectories", "3"],
      ...["--grid-points", "64", "--trajectory-time", "0.05", "--snapshots", "3", "--samples", "64"],
      ...["--steps", "60", "--polish-iter", "1", "--restarts", "1"],
    ];
    const whole = await fresh();
    const ref = await run(...CONNECTION, "--out", whole, "--json", "--quiet");
    expect(ref.code).toBe(3);
    const expected = withoutOutAndTimes(JSON.parse(ref.stdout));
    expect(expected.attemptLosses).toHaveLength(2);

    // dies writing the restart's checkpoint at Adam step 60: resumed from its step 50, filed after
    // the first attempt's checkpoints
    const out = await fresh();
    const killed = await killedAtCheckpoint(4, () => run(...CONNECTION, "--out", out, "--json", "--quiet"));
    expect([0, 3]).not.toContain(killed.code);
    const resumed = await run("integrability", "connection", "--out", out, "--resume", "--json");
    expect(resumed.code).toBe(3);
    expect(resumed.stderr).toMatch(
      /resuming from checkpoint\/step-0+11[12]\.json: Adam step 50 of attempt 1/,
    );
    expect(withoutOutAndTimes(JSON.parse(resumed.stdout))).toEqual(expected);
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
  });

  it.each([
    ["kdv", TINY_KDV_FAMILY],
    ["sine-gordon", TINY_SINE_GORDON_FAMILY],
  ])(
    "connection --system %s --spectral-range: an interrupted run resumed from its last checkpoint ends as the uninterrupted run",
    async (_system, family) => {
      // checkpoints after Adam steps 50, 60 and after the polish
      const SPECTRAL = [...family, "--steps", "60"];
      const whole = await fresh();
      const ref = await run(...SPECTRAL, "--out", whole, "--json", "--quiet");
      expect(ref.code).toBe(3);
      const expected = withoutOutAndTimes(JSON.parse(ref.stdout));

      // dies writing the checkpoint at Adam step 60: resumed from step 50
      const out = await fresh();
      const killed = await killedAtCheckpoint(1, () => run(...SPECTRAL, "--out", out, "--json", "--quiet"));
      expect([0, 3]).not.toContain(killed.code);
      const resumed = await run("integrability", "connection", "--out", out, "--resume", "--json");
      expect(resumed.code).toBe(3);
      expect(resumed.stderr).toMatch(/resuming from checkpoint\/step-0+50\.json: Adam step 50/);
      expect(withoutOutAndTimes(JSON.parse(resumed.stdout))).toEqual(expected);
      expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
    },
  );

  it("connection --system kdv --spectral-range --start fixed: resumed, the run takes the fixed connection's record from its checkpoint instead of learning it again, and ends as the uninterrupted run", async () => {
    // the default start; one Adam step, so that a checkpoint (after Adam) precedes the polished one
    const at = TINY_KDV_FAMILY.indexOf("--start");
    const args = [...TINY_KDV_FAMILY.slice(0, at), ...TINY_KDV_FAMILY.slice(at + 2), "--steps", "1"];
    type FamilyJson = Record<string, unknown> & { spectral: { start: string; fixed: { seconds?: number } } };
    // the fixed stage's seconds are those of the process that ran it
    const withoutFixedSeconds = (j: FamilyJson) => {
      const { seconds: _s, ...fixed } = j.spectral.fixed;
      return { ...j, spectral: { ...j.spectral, fixed } };
    };
    const whole = await fresh();
    const ref = await run(...args, "--out", whole, "--json", "--quiet");
    const expected = withoutFixedSeconds(withoutOutAndTimes(JSON.parse(ref.stdout)) as FamilyJson);
    expect(expected.spectral.start).toBe("fixed");
    // dies writing the polished checkpoint: resumed from the one after Adam step 1
    const out = await fresh();
    const killed = await killedAtCheckpoint(1, () => run(...args, "--out", out, "--json"));
    expect([0, 3]).not.toContain(killed.code);
    expect(killed.stderr).toMatch(/learning the fixed-λ connection/);
    const resumed = await run("integrability", "connection", "--out", out, "--resume", "--json");
    expect(resumed.code).toBe(ref.code);
    expect(resumed.stderr).toMatch(/resuming from checkpoint\/step-0+1\.json: Adam step 1/);
    expect(resumed.stderr).not.toMatch(/learning the fixed-λ connection/);
    expect(withoutFixedSeconds(withoutOutAndTimes(JSON.parse(resumed.stdout)) as FamilyJson)).toEqual(
      expected,
    );
  });

  // minibatches of 8 of 12 states; checkpoints at Adam steps 50 and 60 of each model; 60 steps
  // conserve no momentum, so both runs fail the held-out check alike (exit 3)
  const SCNN = withOldScnnDefaults(
    ...["integrability", "scnn", "--steps", "60", "--orbits", "2", "--test-orbits", "1"],
    ...["--orbit-time", "1", "--batch", "8", "--cyclic", "2"],
  );
  /** The uninterrupted SCNN run both scnn tests compare with, run once. */
  let scnnWhole: Promise<{ whole: string; ref: Awaited<ReturnType<typeof run>> }> | undefined;
  const scnnReference = () => {
    scnnWhole ??= (async () => {
      const whole = await fresh();
      return { whole, ref: await run(...SCNN, "--out", whole, "--json", "--quiet") };
    })();
    return scnnWhole;
  };

  it("scnn: an interrupted comparison resumed from its last checkpoint ends as the uninterrupted one", async () => {
    const { whole, ref } = await scnnReference();
    expect(ref.code).toBe(3);

    // dies writing the HNN's checkpoint at step 60: resumed from its step 50
    const out = await fresh();
    const killed = await killedAtCheckpoint(3, () => run(...SCNN, "--out", out, "--json", "--quiet"));
    expect(killed.code).not.toBe(0);
    const resumed = await run("integrability", "scnn", "--out", out, "--resume", "--json");
    expect(resumed.code).toBe(3);
    expect(resumed.stderr).toContain(
      "resuming from checkpoint/step-00000110.json: the hnn model at Adam step 50",
    );
    // progress every 100 steps: only the SCNN's step 0 was trained from the start
    expect(resumed.stderr).not.toMatch(/^(baseline|hnn) step 0:/m);
    expect(resumed.stderr).toMatch(/^scnn step 0:/m);
    expect(withoutOut(JSON.parse(resumed.stdout))).toEqual(withoutOut(JSON.parse(ref.stdout)));
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
    // the report's loss curves were rebuilt from the checkpoint too
    expect(await text(out, "report.html")).toBe(await text(whole, "report.html"));
  });

  it("scnn: a run written before the fields added since 3 Dec resumes with what it was trained with, as the uninterrupted run given them", async () => {
    // the run of the test above: every field added since given explicitly, as it behaved before
    const { whole, ref } = await scnnReference();
    expect(ref.code).toBe(3);

    // dies writing the HNN's checkpoint at step 60; then its config.json is made the one a run of
    // 3 Dec (867fa27f) wrote, without the fields added since (today's defaults differ: e.g.
    // --warmup 200, --restarts 2, --frame relative)
    const out = await fresh();
    const killed = await killedAtCheckpoint(3, () => run(...SCNN, "--out", out, "--json", "--quiet"));
    expect(killed.code).not.toBe(0);
    const file = JSON.parse(await text(out, "config.json"));
    const ADDED_SINCE = [
      ...["cyclicQ", "conservation", "speedSpread", "tilt", "retrograde", "frame", "inverseSquare"],
      ...["commutationWeight", "independenceWeight", "independence", "restarts", "restartWithin"],
      ...["transform", "pointStart", "pointStartSpread", "hamiltonian", "warmup", "generalStart"],
    ];
    for (const k of ADDED_SINCE) {
      expect(file.config).toHaveProperty(k);
      delete file.config[k];
    }
    await writeFile(join(out, "config.json"), JSON.stringify(file));

    const resumed = await run("integrability", "scnn", "--out", out, "--resume", "--json");
    expect(resumed.stderr).toContain(
      "resuming from checkpoint/step-00000110.json: the hnn model at Adam step 50",
    );
    expect(resumed.code).toBe(3);
    expect(withoutOut(JSON.parse(resumed.stdout))).toEqual(withoutOut(JSON.parse(ref.stdout)));
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
    expect(await text(out, "report.html")).toBe(await text(whole, "report.html"));
    // runs show reads the stored config as the resume did: where today's default differs, the
    // uninterrupted run's value (the fields whose default never changed stay absent, as stored)
    const shown = JSON.parse((await run("runs", "show", out, "--json")).stdout).config;
    const wholeConfig = JSON.parse(await text(whole, "config.json")).config;
    expect(wholeConfig).toMatchObject(shown);
    const changed = ["cyclicQ", "conservation", "tilt", "retrograde", "frame", "restarts", "transform"];
    for (const k of [...changed, "pointStart", "hamiltonian", "warmup"])
      expect(shown[k]).toEqual(wholeConfig[k]);
  });

  // three CLI runs of two seeds each: 54 s before 𝓛_inv joined the fine-tuning, about 70 s after,
  // at a load of 15 on 2 cores (the default timeout is 60 s)
  it("perturbation: an interrupted test resumed from its last checkpoint ends as the uninterrupted one, no row twice", async () => {
    // 10 Adam steps per run: checkpoints at the end of each run's Adam and after its polish, and
    // after each row; per seed 2 (base) + 2 × (2 + 2 + 1) = 12
    const PERTURBATION = [
      ...["integrability", "perturbation", "--seeds", "2", "--base-steps", "10", "--base-polish", "1"],
      ...["--steps", "10", "--polish-iter", "1"],
    ];
    const whole = await fresh();
    const ref = await run(...PERTURBATION, "--out", whole, "--json", "--quiet");
    // 10 steps do not separate the two systems: the test's own check fails (exit 3), as resumed
    expect(ref.code).toBe(JSON.parse(ref.stdout).separated ? 0 : 3);
    expect(await lines(whole)).toHaveLength(4);

    // dies writing seed 1's H₂ checkpoint after the polish: resumed from that run's end of Adam
    const out = await fresh();
    const killed = await killedAtCheckpoint(15, () =>
      run(...PERTURBATION, "--out", out, "--json", "--quiet"),
    );
    expect(killed.code).not.toBe(0);
    expect(await readdir(out)).not.toContain("result.json");
    expect(await lines(out)).toHaveLength(2);

    const resumed = await run("integrability", "perturbation", "--out", out, "--resume", "--json");
    expect(resumed.code).toBe(ref.code);
    expect(resumed.stderr).toContain("2 rows done, continuing the H₂ run of row 3 at Adam step 10");
    // only seed 1's rows were run again
    expect([...resumed.stderr.matchAll(/^ε = (\S+), seed (\d+):/gm)].map((m) => [m[1], m[2]])).toEqual([
      ["0.1", "1"],
      ["0.3", "1"],
    ]);
    expect(withoutOut(JSON.parse(resumed.stdout))).toEqual(withoutOut(JSON.parse(ref.stdout)));
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
    expect(await text(out, "report.html")).toBe(await text(whole, "report.html"));
  }, 180_000);
});
