// The exact Kramers–Wannier solution (t0 = β̃, O = cosh 2β̃ − sinh 2β̃·x on the dual-crossing link)
// is a stationary point of the loss on a 16×16 torus: the coupling gradient (covariance
// estimator) and the head gradient vanish within their statistical errors, while 10% away from
// β̃ the coupling gradient is clearly nonzero.

import {
  candidateSlots,
  couplingGradient,
  featuresFromMoments,
  headJacobian,
  linkVariablesBatch,
  measureTarget,
  momentLayout,
  resolveConfig,
  resolveShapes,
  slotMoments,
  windowTable,
} from "@physml/duality-learner";
import { dualCoupling, squareLattice } from "@physml/lattice-core";
import { createSampler } from "@physml/mcmc-gpu";
import { expect, test } from "vitest";

const beta = 0.3;
const L = 16;
const lattice = squareLattice(L);
const shapes = resolveShapes("extended");
const layout = momentLayout(lattice, shapes);
const slots = candidateSlots(1);
const window = windowTable(lattice, slots);
const dual = slots.findIndex((s) => s.kind === "dual-crossing");

/** Gradients (t, θ2, θ3) of batches of candidate samples at coupling t with the exact head. */
async function gradients(t: number, target: Float64Array, batches: number) {
  const bt = dualCoupling(beta);
  const [t2, t3] = [-Math.sinh(2 * bt), Math.cosh(2 * bt)];
  const sampler = await createSampler({
    lattice,
    couplings: { nn: t },
    chains: 64,
    seed: 21,
    backend: "cpu",
  });
  await sampler.sweep(500);
  const out: number[][] = [];
  for (let r = 0; r < batches; r++) {
    const m = await sampler.measure({ sweeps: 40, every: 4, configurations: true });
    const S = 64 * 10;
    const x = linkVariablesBatch(lattice, m.configurations as Int8Array, S);
    const mom = slotMoments(lattice, layout, x, S, window, slots.length, dual);
    const psi = featuresFromMoments(layout, mom, S, t2, t3);
    const g = couplingGradient({ psi, terms: m.terms, samples: S, half: S / 2, target, termIndices: [0] });
    // ∂L/∂θ = Σ_a 2 l_a ∂m_a/∂θ with l from one half and ∂m/∂θ from the other (symmetrised).
    const M = layout.width;
    const meanOf = (lo: number, hi: number) => {
      const mm = new Float64Array(M);
      for (let b = lo; b < hi; b++) for (let q = 0; q < M; q++) mm[q] += mom[b * M + q] / (hi - lo);
      return mm;
    };
    const jA = headJacobian(layout, meanOf(0, S / 2), t2, t3);
    const jB = headJacobian(layout, meanOf(S / 2, S), t2, t3);
    const gth = [0, 0];
    for (let a = 0; a < shapes.length; a++) {
      for (const i of [0, 1]) gth[i] += g.residualA[a] * jB[2 * a + i] + g.residualB[a] * jA[2 * a + i];
    }
    out.push([g.grad[0], gth[0], gth[1]]);
  }
  await sampler.dispose();
  return out;
}

function meanSe(xs: number[]) {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
  return { m, se: Math.sqrt(v / xs.length) };
}

test("the KW solution is stationary at L = 16; 10% away it is not", async () => {
  const config = resolveConfig({
    beta,
    L,
    seed: 4,
    backend: "cpu",
    target: { chains: 64, samples: 400, every: 4 },
  });
  const t = await measureTarget(config, lattice, shapes);
  const target = Float64Array.from(t.mean);
  const bt = dualCoupling(beta);
  const at = await gradients(bt, target, 12);
  for (const i of [0, 1, 2]) {
    const { m, se } = meanSe(at.map((r) => r[i]));
    expect(Math.abs(m), `component ${i}: ${m} ± ${se}`).toBeLessThan(4 * se);
  }
  const off = await gradients(1.1 * bt, target, 6);
  const { m, se } = meanSe(off.map((r) => r[0]));
  // Above β̃ the loss rises, so ∂L/∂t > 0, far outside the noise.
  expect(m).toBeGreaterThan(6 * se);
}, 120_000);
