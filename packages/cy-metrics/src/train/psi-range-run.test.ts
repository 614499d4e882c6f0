import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PhysmlInputError, parseOptions, readNpy } from "@physml/lattice-core";
import { refusal as refusalOf } from "@physml/lattice-core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { killAfterFirstEpoch } from "../../test/killed-run.js";
import { sigma } from "../donaldson/balance.js";
import { sectionBasis } from "../donaldson/sections.js";
import { dworkQuintic } from "../geometry/quintic.js";
import { samplePoints } from "../geometry/sample.js";
import { cyTrainOptionsSchema, PSI_RANGE_DEFAULTS, withPsiRangeDefaults } from "../options.js";
import { runCyTrain } from "./run.js";

const root = mkdtempSync(join(tmpdir(), "cy-psi-range-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The PhysmlInputError cy train's options refuse `input` with. */
const refusal = (input: unknown): PhysmlInputError =>
  refusalOf(() => parseOptions(cyTrainOptionsSchema, input));

describe("--psi-range in the cy train schema", () => {
  it("reads a:b of real ψ in [0, 0.6]", () => {
    expect(parseOptions(cyTrainOptionsSchema, { psiRange: "0:0.6" }).psiRange).toEqual({ from: 0, to: 0.6 });
    expect(parseOptions(cyTrainOptionsSchema, { psiRange: " .1 : 0.45 ", psi: "0.2" }).psiRange).toEqual({
      from: 0.1,
      to: 0.45,
    });
    expect(parseOptions(cyTrainOptionsSchema, {}).psiRange).toBeUndefined();
  });

  it("refuses a bad range in one line naming psiRange and the allowed range", () => {
    for (const bad of ["0.6:0", "0:0.7", "-0.1:0.5", "0.3:0.3", "0:1", "a:b", "0.2", "0:0.3:0.6"]) {
      const e = refusal({ psiRange: bad });
      expect(e.field, bad).toBe("psiRange");
      expect(e.message, bad).toContain("0 ≤ a < b ≤ 0.6");
      expect(e.message, bad).not.toContain("\n");
    }
  });

  it("needs ψ inside the range and the algebraic model", () => {
    expect(refusal({ psiRange: "0.2:0.5" }).field).toBe("psi"); // ψ = 0 by default
    expect(refusal({ psiRange: "0:0.6", psi: "0.3+0.1i" }).field).toBe("psi");
    expect(refusal({ psiRange: "0:0.6", metricModel: "phi" }).field).toBe("psiRange");
  });

  it("brings the bench's settings as defaults, under what is given", () => {
    expect(withPsiRangeDefaults({ k: 3 })).toEqual({ k: 3 });
    expect(withPsiRangeDefaults({ psiRange: "0:0.6", k: 3 })).toEqual({
      ...PSI_RANGE_DEFAULTS,
      psiRange: "0:0.6",
      k: 3,
    });
  });
});

describe("cy train --psi-range run directory", () => {
  const tiny = {
    psiRange: "0:0.4",
    psi: "0.2",
    k: 2,
    points: 200,
    evalPoints: 100,
    epochs: 2,
    batch: 100,
    iterations: 2,
    target: 0.5,
  };

  it("trains, checks σ at 4 held-out ψ, and a resumed run ends bit for bit where an uninterrupted one does", async () => {
    const a = await runCyTrain(tiny, { out: join(root, "a"), ricciPoints: 10 });
    expect(a.trainPsi?.map((p) => p.re)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    const held = a.heldOutPsi ?? [];
    expect(held.map((h) => h.psi.re)).toEqual([0.05, 0.15, 0.25, 0.35]);
    for (const h of held) expect(a.trainPsi?.some((t) => t.re === h.psi.re)).toBe(false);
    // training lowered σ at the ψ it never saw (on average over the four)
    const mean = (f: (h: (typeof held)[number]) => number) =>
      held.reduce((s, h) => s + f(h), 0) / held.length;
    expect(mean((h) => h.sigma.mean)).toBeLessThan(mean((h) => h.sigmaStart.mean));
    expect(a.passed).toBe(held.every((h) => h.sigma.mean < 0.5) && a.sigma.mean < 0.5);

    // `sigma` means what it means for the other models: the exported G at ψ = 0.2 (h.npy), as an
    // algebraic metric, on the held-out points (seed + 1) gives the same σ
    const h = await readNpy(join(root, "a", "arrays", "h.npy"));
    const N = h.shape[0];
    const re = new Float64Array(N * N);
    const im = new Float64Array(N * N);
    for (let i = 0; i < N * N; i++) {
      re[i] = h.data[2 * i] as number;
      im[i] = h.data[2 * i + 1] as number;
    }
    const q = dworkQuintic({ re: 0.2, im: 0 });
    const s = sigma({ basis: sectionBasis(q, 2), G: { n: N, re, im } }, samplePoints(q, 100, 2));
    expect(s.mean).toBeCloseTo(a.sigma.mean, 12);

    const html = readFileSync(join(root, "a", "report.html"), "utf8");
    expect(html).toContain("held-out ψ (not trained on)");
    expect(html).toContain("Ricci scalar R of the model");

    await killAfterFirstEpoch(tiny, join(root, "b"));
    const b = await runCyTrain({}, { out: join(root, "b"), resume: true, report: false });
    expect(b.epochs).toBe(2);
    expect(b.heldOutPsi).toEqual(a.heldOutPsi);
    expect(b.sigma).toEqual(a.sigma);
    const file = (dir: string, name: string) => readFileSync(join(root, dir, "arrays", `${name}.npy`));
    expect(file("b", "psi-coefficients").equals(file("a", "psi-coefficients"))).toBe(true);
    expect(file("b", "h").equals(file("a", "h"))).toBe(true);
  });
});
