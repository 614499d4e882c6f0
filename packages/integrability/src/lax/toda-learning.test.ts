// Toda's learning setup against Flaschka's pair as the independent truth: the exp-unit networks on
// translation- and boost-invariant inputs contain that pair exactly, 𝓛_inv vanishes on it and
// is blind to L's scale, rest-frame sampling has zero momentum, and learnLax refuses a pair that
// misses the conservation targets.
import { tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { flaschkaPair } from "../data/flaschka.js";
import { vectorField } from "../data/hamiltonian.js";
import { samplePhaseSpace } from "../data/sampling.js";
import { toda } from "../data/systems.js";
import { LaxValidationError, learnLax, validateLax } from "./learn.js";
import { laxLoss, laxLossOf, laxResiduals, spectrumLoss } from "./loss.js";
import { LaxModel, type LaxParams, type LaxStructure } from "./model.js";
import { laxSetup } from "./systems.js";
import { laxBatch } from "./train.js";

const n = 3;
const setup = laxSetup("toda");
const WEIGHTS = { lax: 1, l: 0, lm: 0, mc: 0, spectrum: 0, invariant: 1 };

/**
 * Flaschka's pair written in the model's parameters: hidden unit i is exp(d_i/2 + ln ½) = a_i with
 * d_i = q_i − q_{i+1}; the linear path puts −½(p_i − P/3) on L's diagonal. This L is Flaschka's
 * plus (P/6)·1, still a Lax pair with the same M since P is conserved.
 */
function flaschkaParams(structure: LaxStructure = "general"): { model: LaxModel; params: LaxParams } {
  const model = new LaxModel({
    structure,
    inputs: 2 * n,
    size: n,
    hidden: [n],
    seed: 0,
    features: setup.features?.map,
    activation: "exp",
  });
  const w1 = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) w1[i * n + i] = 0.5;
  const layer1 = { w: tensor(w1, [2 * n, n]), b: tensor(new Float64Array(n).fill(Math.log(0.5)), [n]) };
  const out = (sign: number, symmetric: boolean) => {
    const w = new Float64Array(n * n * n);
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      w[i * n * n + j * n + i] += 1;
      w[i * n * n + i * n + j] += symmetric ? 1 : sign;
    }
    return { w: tensor(w, [n, n * n]), b: tensor(new Float64Array(n * n), [n * n]) };
  };
  const linL = new Float64Array(2 * n * n * n);
  for (let i = 0; i < n; i++) linL[(n + i) * n * n + i * n + i] = -0.5;
  // the linear path has no bias
  const linear = (w: Float64Array) => ({ w: tensor(w, [2 * n, n * n]) }) as LinearParams;
  const params: LaxParams = {
    L: [layer1, out(1, true), linear(linL)],
    M: [layer1, out(-1, false), linear(new Float64Array(2 * n * n * n))],
  };
  return { model, params };
}

describe("Toda's Lax learning setup, against Flaschka's pair", () => {
  // states with any total momentum: the pair built on boost-invariant inputs holds for all P
  const s = samplePhaseSpace(toda(n), 128, 5);
  const batch = laxBatch(s);

  it("the exp-unit model contains Flaschka's pair exactly (up to the shift (P/6)·1)", () => {
    const { model, params } = flaschkaParams();
    const L = model.L(params, batch.x).toFloat64Array();
    const M = model.M(params, batch.x).toFloat64Array();
    let worst = 0;
    for (let r = 0; r < s.count; r++) {
      const z = s.x.subarray(6 * r, 6 * r + 6);
      const P = z[3] + z[4] + z[5];
      const F = flaschkaPair(z, n);
      for (let k = 0; k < 9; k++) {
        const shift = k % 4 === 0 ? P / 6 : 0;
        worst = Math.max(worst, Math.abs(L[9 * r + k] - F.L[k] - shift), Math.abs(M[9 * r + k] - F.M[k]));
      }
    }
    expect(worst).toBeLessThan(1e-14);
    const t = laxLoss(model, params, batch.x, batch.xdot, WEIGHTS);
    expect(t.lax.item()).toBeLessThan(1e-28);
    expect(t.invariant.item()).toBeLessThan(1e-28);
  });

  it("the symmetric structure: L = Lᵀ and M = −Mᵀ from any parameters, Flaschka's pair still exact", () => {
    const { model, params } = flaschkaParams("symmetric");
    // Flaschka's L is symmetric and M antisymmetric, so taking those parts changes nothing
    const t = laxLoss(model, params, batch.x, batch.xdot, WEIGHTS);
    expect(t.lax.item()).toBeLessThan(1e-28);
    const general = flaschkaParams().model;
    expect(Array.from(model.L(params, batch.x).toFloat64Array())).toEqual(
      Array.from(general.L(params, batch.x).toFloat64Array()),
    );
    // fresh (random) parameters: the general model's L is not symmetric, the structured one's is
    const opts = { inputs: 6, size: n, hidden: [4], seed: 1, activation: "exp" as const };
    const asym = (A: Float64Array, sign: number) => {
      let worst = 0;
      for (let r = 0; r < s.count; r++)
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++)
            worst = Math.max(worst, Math.abs(A[9 * r + 3 * i + j] - sign * A[9 * r + 3 * j + i]));
      return worst;
    };
    const free = new LaxModel(opts);
    expect(asym(free.L(free.init(), batch.x).toFloat64Array(), 1)).toBeGreaterThan(1e-3);
    const sym = new LaxModel({ ...opts, structure: "symmetric" });
    const p = sym.init();
    expect(asym(sym.L(p, batch.x).toFloat64Array(), 1)).toBe(0);
    expect(asym(sym.M(p, batch.x).toFloat64Array(), -1)).toBe(0);
    expect(() => new LaxModel({ ...opts, structure: "skew" as LaxStructure })).toThrow(PhysmlInputError);
  });

  it("𝓛_inv is the residual over the spectrum's spread: blind to L's scale, positive off the pair", () => {
    const { model, params } = flaschkaParams();
    // a wrong M (scaled by 1.1) leaves the residual 0.1·[L, M]; scaling L by c scales the residual
    // by c and the spread ⟨|L̃|²⟩ / Var tr L̃² by 1/c², so 𝓛_inv must not move
    const inv = (c: number) =>
      laxLossOf(
        (x) => model.L(params, x).mul(c),
        (x) => model.M(params, x).mul(1.1),
        batch.x,
        batch.xdot,
        WEIGHTS,
      ).invariant.item();
    const base = inv(1);
    expect(base).toBeGreaterThan(1e-4);
    for (const c of [0.1, 7]) expect(Math.abs(inv(c) / base - 1)).toBeLessThan(1e-10);
  });

  it("the spectrum hinge measured against |L̃|² sees through a nearly nilpotent L", () => {
    const { model, params } = flaschkaParams();
    const rest = laxBatch(samplePhaseSpace(toda(n), 256, 6, 1, true));
    const F = model.L(params, rest.x);
    // Flaschka's own spread on the rest-frame box is 0.23 either way, above κ = 0.1
    expect(spectrumLoss(F, 0.1, "norm").item()).toBe(0);
    expect(spectrumLoss(F, 0.1, "trace").item()).toBe(0);
    // L = e^{d₁}·E₁₂ + 0.01·Flaschka: tr L̃² ≈ 0, so "trace" divides a small std by a small mean
    // and is satisfied, while "norm" sees the spectrum barely move against |L̃|²
    const B = rest.x.shape[0];
    const x = rest.x.toFloat64Array();
    const nil = new Float64Array(B * 9);
    for (let r = 0; r < B; r++) nil[9 * r + 1] = Math.exp(x[6 * r] - x[6 * r + 1]);
    const L = tensor(nil, [B, 3, 3]).add(F.mul(0.01));
    expect(spectrumLoss(L, 0.1, "trace").item()).toBe(0);
    expect(spectrumLoss(L, 0.1, "norm").item()).toBeGreaterThan(0.09);
  });

  it("the rate ridge adds λ·Σw² of both first layers to the loss and to the LM residuals' Σr²", () => {
    const { model, params } = flaschkaParams();
    // Flaschka's rates: three entries ½ in each first layer, so Σw² = 2 · 3 · ¼
    const lam = 1e-3;
    const withRidge = { ...WEIGHTS, rates: lam };
    const t0 = laxLoss(model, params, batch.x, batch.xdot, WEIGHTS).total.item();
    const t1 = laxLoss(model, params, batch.x, batch.xdot, withRidge).total.item();
    expect(t1 - t0).toBeCloseTo(lam * 1.5, 14);
    const r = laxResiduals(model, params, batch.x, batch.xdot, withRidge).toFloat64Array();
    expect(r.reduce((a, v) => a + v * v, 0)).toBeCloseTo(lam * 1.5, 14);
  });

  it("rest-frame samples have zero total momentum and the system's velocities", () => {
    const r = samplePhaseSpace(toda(n), 64, 3, 1, true);
    const v = vectorField(toda(n), r.x, 64);
    for (let k = 0; k < 64; k++) {
      const p = r.x.subarray(6 * k + 3, 6 * k + 6);
      expect(Math.abs(p[0] + p[1] + p[2])).toBeLessThan(1e-15);
    }
    expect(Array.from(r.xdot)).toEqual(Array.from(v));
  });

  it("restarts train another draw while the training 𝓛_inv is above the bar, and only then", () => {
    const base = { system: "toda" as const, hidden: [2], samples: 16, adamSteps: 3, lbfgsIter: 0, seed: 4 };
    const never = learnLax({ ...base, validate: false, restarts: { max: 2, invariant: 0 } });
    expect(never.rungs).toHaveLength(3);
    // each draw starts from other parameters: their initial losses differ
    const starts = never.rungs.map((r) => r.history[0].lax);
    expect(new Set(starts).size).toBe(3);
    // the first draw is the model's own seed, so it is the run without restarts
    const once = learnLax({ ...base, validate: false, restarts: { max: 0, invariant: 0 } });
    expect(once.rungs[0].final).toEqual(never.rungs[0].final);
    const always = learnLax({ ...base, validate: false, restarts: { max: 2, invariant: Infinity } });
    expect(always.rungs).toHaveLength(1);
    // the drivers that compare final losses (evaluate: false) train one draw by default
    expect(learnLax({ ...base, evaluate: false }).rungs).toHaveLength(1);
    // the system's restarts apply to a chosen model: Toda's are on for `hidden` [2] (whose
    // 3-step 𝓛_inv is far above the bar) and for Toda's own model (exp [9], taken when no model
    // is asked for), off for a ladder given (affine, then [32, 32])
    expect(learnLax({ ...base, validate: false }).rungs).toHaveLength(3);
    const { hidden: _, ...noHidden } = base;
    const own = learnLax({ ...noHidden, validate: false });
    expect(own.rungs.map((r) => r.hidden)).toEqual([[9], [9], [9]]);
    expect(learnLax({ ...noHidden, ladder: [[], [32, 32]], validate: false }).rungs).toHaveLength(2);
    expect(() => learnLax({ ...base, restarts: { max: -1, invariant: 1 } })).toThrow(PhysmlInputError);
  });

  it("validateLax names every missed target; learnLax throws on a pair that misses them", () => {
    const v = validateLax(
      {
        laxResidual: 0.02,
        conserved: {
          variation: [1e-4, 5e-3, 1e-4],
          variationVsPhaseSpace: [],
          trL2VsH: 0.9,
          series: [],
          times: [],
        },
        traceIndependence: { ratios: [1, 1e-17, 0], independent: 1 },
      },
      { residual: 1e-2, variation: 1e-3, trL2VsH: 0.999, independentTraces: 2 },
    );
    expect(v.passed).toBe(false);
    expect(v.failures).toHaveLength(4);
    expect(v.failures[1]).toContain("tr L^2");
    expect(v.failures[3]).toContain("1 of the traces");
    // five Adam steps learn no pair: the conservation check must fail loudly
    let thrown: unknown;
    try {
      learnLax({ system: "toda", adamSteps: 5, lbfgsIter: 0, samples: 32, seed: 0 });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(LaxValidationError);
    const { result } = thrown as LaxValidationError;
    expect(result.validation.passed).toBe(false);
    expect((thrown as Error).message).toContain(result.validation.failures[0]);
  });
});
