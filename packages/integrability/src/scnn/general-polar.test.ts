import { tensor, valueAndGrad } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { CENTRE_OF_MASS_MAP } from "./frame.js";
import { angularMomentum } from "./kepler.js";
import { polarStartFrame, type ScnnParams, scnnModel } from "./models.js";
import { twoBodyTrainingSet } from "./two-body-data.js";

// the general T on the relative frame with the angle's row given: the polar start's setting
const relative = {
  dim: 8,
  hidden: [6],
  poissonWeight: 1,
  seed: 3,
  cyclic: 3,
  cyclicQ: "gradients" as const,
  inputMap: CENTRE_OF_MASS_MAP,
  fixedPairs: 2,
};
const polar = { ...relative, generalStart: "polar" as const };

// states and true velocities of two-body orbits (eccentric, tilted, both senses)
const B = 24;
const data = twoBodyTrainingSet(3, 11, 1.6, undefined, { speedSpread: 0.3, tilt: 0.5, retrograde: 0.5 });
const x = tensor(data.x.subarray(0, 8 * B), [B, 8]);
const xdot = tensor(data.xdot.subarray(0, 8 * B), [B, 8]);

describe("the SCNN's general T from the polar lift", () => {
  it("at initialisation T is the cotangent lift of polar coordinates of the relative plane: X, Y, P_x, P_y pass, Q₄ = |r|, P₃ = L, P₄ = r̂·p to 1e-12", () => {
    const m = scnnModel(polar);
    const z = m.transform(m.init(), x).toFloat64Array();
    const xs = x.toFloat64Array();
    for (let s = 0; s < B; s++) {
      const [x1, y1, x2, y2, px1, py1, px2, py2] = xs.subarray(8 * s, 8 * s + 8);
      const [rx, ry, px, py] = [x1 - x2, y1 - y2, (px1 - px2) / 2, (py1 - py2) / 2];
      const r = Math.hypot(rx, ry);
      const want = [(x1 + x2) / 2, (y1 + y2) / 2, rx, r, px1 + px2, py1 + py2];
      want.push(angularMomentum(xs.subarray(8 * s, 8 * s + 8)), (rx * px + ry * py) / r);
      for (let j = 0; j < 8; j++) expect(Math.abs(z[8 * s + j] - want[j])).toBeLessThan(1e-12);
    }
    // the identity start's third momentum is p_x plus a random network's output, not L
    const identity = scnnModel(relative);
    const zi = identity.transform(identity.init(), x).toFloat64Array();
    let off = 0;
    for (let s = 0; s < B; s++) off = Math.max(off, Math.abs(zi[8 * s + 6] - z[8 * s + 6]));
    expect(off).toBeGreaterThan(0.05);
  });

  it("at initialisation every Poisson bracket holds (𝓛_Poisson below 1e-24, rms defect below 1e-12) and every cyclic momentum is conserved by the true flow (cosines below 1e-12); a random network's output breaks both", () => {
    const m = scnnModel(polar);
    const start = m.init();
    expect(m.poisson(start, x).item()).toBeLessThan(1e-24);
    const cosines = m.flowCosines(start, x, xdot).toFloat64Array();
    for (const c of cosines) expect(Math.abs(c)).toBeLessThan(1e-12);
    // the networks' standard initial last layers (as the identity start keeps them) on the lift
    const random = scnnModel(relative).init();
    const moved: ScnnParams = { ...start, T: random.T, Q: random.Q };
    expect(m.poisson(moved, x).item()).toBeGreaterThan(1e-6);
    const movedCosines = m.flowCosines(moved, x, xdot).toFloat64Array();
    let worst = 0;
    for (let s = 0; s < B; s++) worst = Math.max(worst, Math.abs(movedCosines[3 * s + 2]));
    expect(worst).toBeGreaterThan(1e-3);
  });

  it("the lift is only a start: the loss's gradient reaches T's zeroed last layer, and the rows' once T has moved off the lift (at the lift 𝓛_Poisson is at its minimum 0 and nothing else sees the rows)", () => {
    const m = scnnModel(polar);
    const start = m.init();
    const lastW = (g: ScnnParams, net: "T" | "Q") =>
      Math.hypot(...g[net][g[net].length - 1].w.toFloat64Array());
    const gradient = (p: ScnnParams) => valueAndGrad((q: ScnnParams) => m.loss(q, x, xdot))(p)[1];
    const atStart = gradient(start);
    expect(lastW(atStart, "T")).toBeGreaterThan(1e-3);
    expect(lastW(atStart, "Q")).toBeLessThan(1e-12);
    const last = start.T[start.T.length - 1];
    const moved = { ...start, T: [...start.T.slice(0, -1), { w: last.w.add(0.01), b: last.b }] };
    expect(lastW(gradient(moved), "Q")).toBeGreaterThan(1e-6);
  });

  it("off the collision point (spread 0.2): T starts as the lift of the polar coordinates of u = A(r − c), canonical (𝓛_Poisson below 1e-24) but its third momentum not conserved by the true flow", () => {
    const m = scnnModel({ ...polar, pointStartSpread: 0.2 });
    const start = m.init();
    const { centre, A } = polarStartFrame(0.2, polar.seed);
    const det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
    const z = m.transform(start, x).toFloat64Array();
    const xs = x.toFloat64Array();
    for (let s = 0; s < B; s++) {
      const [x1, y1, x2, y2, px1, py1, px2, py2] = xs.subarray(8 * s, 8 * s + 8);
      const [dx, dy] = [x1 - x2 - centre[0], y1 - y2 - centre[1]];
      const u = [A[0][0] * dx + A[0][1] * dy, A[1][0] * dx + A[1][1] * dy];
      const [vx, vy] = [(px1 - px2) / 2, (py1 - py2) / 2];
      // p_u = A^{−T} p
      const q = [(A[1][1] * vx - A[1][0] * vy) / det, (-A[0][1] * vx + A[0][0] * vy) / det];
      const ru = Math.hypot(u[0], u[1]);
      expect(Math.abs(z[8 * s + 3] - ru)).toBeLessThan(1e-12);
      expect(Math.abs(z[8 * s + 6] - (u[0] * q[1] - u[1] * q[0]))).toBeLessThan(1e-12);
      expect(Math.abs(z[8 * s + 7] - (u[0] * q[0] + u[1] * q[1]) / ru)).toBeLessThan(1e-12);
    }
    expect(m.poisson(start, x).item()).toBeLessThan(1e-24);
    const cosines = m.flowCosines(start, x, xdot).toFloat64Array();
    let worst = 0;
    for (let s = 0; s < B; s++) worst = Math.max(worst, Math.abs(cosines[3 * s + 2]));
    expect(worst).toBeGreaterThan(1e-3);
    expect(() => scnnModel({ ...relative, pointStartSpread: 0.1 })).toThrow(/pointStartSpread/);
  });

  it("is refused, naming generalStart, for a point T, another number of cyclic coordinates, T's outputs as the cyclic Q, or an unknown start", () => {
    for (const other of [
      { transform: "point" as const },
      { cyclic: 2 },
      { cyclicQ: "outputs" as const },
      { fixedPairs: 1 },
      { generalStart: "spiral" as "polar" },
    ]) {
      expect(() => scnnModel({ ...polar, ...other })).toThrow(PhysmlInputError);
      expect(() => scnnModel({ ...polar, ...other })).toThrow(/generalStart/);
    }
  });
});
