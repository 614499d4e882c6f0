import {
  concat,
  div,
  neg,
  perSampleJacobian,
  reshape,
  slice,
  sqrt,
  square,
  sum,
  type Tensor,
  tensor,
} from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { CENTRE_OF_MASS_MAP } from "./frame.js";
import { polarStartFrame, type ScnnParams, scnnModel } from "./models.js";
import { cotangentLift, type PointMap } from "./point.js";
import { twoBodyInitialStates } from "./two-body-data.js";

// polar coordinates of the plane: the angle through its gradient (−r_y, r_x)/r², ρ = |r|
const POLAR: PointMap = {
  rows: (r) => {
    const B = r.shape[0];
    const rx = slice(r, [0, 0], [B, 1]);
    const ry = slice(r, [0, 1], [B, 2]);
    const r2 = sum(square(r), 1, true);
    return reshape(concat([div(neg(ry), r2), div(rx, r2)], 1), [B, 1, 2]);
  },
  coordinates: (r) => sqrt(sum(square(r), 1, true)),
};

/** States (r, p) of the plane, away from the origin. */
const planeStates = (count: number): Float64Array => {
  const out = new Float64Array(count * 4);
  for (let i = 0; i < count; i++) {
    const a = 0.7 * i + 0.3;
    const rho = 0.5 + (i % 5) * 0.25;
    out.set([rho * Math.cos(a), rho * Math.sin(a), Math.sin(1.3 * i) - 0.2, Math.cos(0.9 * i) + 0.1], 4 * i);
  }
  return out;
};

/** The lift's full map (q, p) ↦ (θ stand-in, ρ, P) with the θ row replaced by the given one: J [B, 4, 4]. */
function polarJacobian(x: Tensor): Tensor {
  const B = x.shape[0];
  const map = (z: Tensor) => {
    const lift = cotangentLift(POLAR, slice(z, [0, 0], [B, 2]), slice(z, [0, 2], [B, 4]));
    return concat([slice(z, [0, 0], [B, 1]), lift.coordinates, lift.momenta], 1);
  };
  const J = perSampleJacobian(map)(x);
  const rows = POLAR.rows?.(slice(x, [0, 0], [B, 2]));
  if (!rows) throw new Error("POLAR has rows");
  const thetaRow = concat([rows, rows.mul(0)], 2);
  return concat([thetaRow, slice(J, [0, 1, 0], [B, 4, 4])], 1);
}

/** max |J Ω Jᵀ − Ω| over the states, per block (rows/columns 0…n−1 are Q, n…2n−1 are P). */
function bracketDefects(J: Float64Array, B: number, d: number) {
  const n = d / 2;
  const worst = { QQ: 0, QP: 0, PP: 0 };
  for (let s = 0; s < B; s++)
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        let v = 0;
        for (let i = 0; i < n; i++)
          v +=
            J[s * d * d + a * d + i] * J[s * d * d + b * d + n + i] -
            J[s * d * d + a * d + n + i] * J[s * d * d + b * d + i];
        const omega = b === a + n ? 1 : a === b + n ? -1 : 0;
        const block = a < n && b < n ? "QQ" : a >= n && b >= n ? "PP" : "QP";
        worst[block] = Math.max(worst[block], Math.abs(v - omega));
      }
  return worst;
}

describe("cotangent lift (the SCNN's point transformation)", () => {
  it("polar coordinates given by the angle's gradient and ρ = |r|: P_θ = L = r_x p_y − r_y p_x and P_ρ = r̂·p to 1e-12", () => {
    const B = 24;
    const xs = planeStates(B);
    const x = tensor(xs, [B, 4]);
    const lift = cotangentLift(POLAR, slice(x, [0, 0], [B, 2]), slice(x, [0, 2], [B, 4]));
    const P = lift.momenta.toFloat64Array();
    for (let s = 0; s < B; s++) {
      const [rx, ry, px, py] = xs.subarray(4 * s, 4 * s + 4);
      const L = rx * py - ry * px;
      expect(Math.abs(P[2 * s] - L)).toBeLessThan(1e-12 * (1 + Math.abs(L)));
      const pr = (rx * px + ry * py) / Math.hypot(rx, ry);
      expect(Math.abs(P[2 * s + 1] - pr)).toBeLessThan(1e-12 * (1 + Math.abs(pr)));
    }
  });

  it("with the exact rows of polar coordinates, J Ω Jᵀ = Ω to 1e-10 (every bracket of θ, ρ, P_θ, P_ρ)", () => {
    const B = 16;
    const d = bracketDefects(polarJacobian(tensor(planeStates(B), [B, 4])).toFloat64Array(), B, 4);
    expect(Math.max(d.QQ, d.QP, d.PP)).toBeLessThan(1e-10);
  });
});

describe("the SCNN with transform point", () => {
  const states = (count: number) =>
    tensor(twoBodyInitialStates(count, 5, { offset: 0.5, velocity: 0.3 }), [count, 8]);
  const options = { dim: 8, hidden: [6], poissonWeight: 1, seed: 3, transform: "point" as const };
  // the relative frame: the centre of mass passes through, the angle's row given
  const relative = {
    ...options,
    cyclic: 3,
    cyclicQ: "gradients" as const,
    inputMap: CENTRE_OF_MASS_MAP,
    fixedPairs: 2,
  };
  // the networks' last layers zeroed: T and the rows at their start frames exactly
  const zeroedOutputs = (p: ScnnParams): ScnnParams => {
    const zeroed = (net: ScnnParams["T"]) => [
      ...net.slice(0, -1),
      { w: net[net.length - 1].w.mul(0), b: net[net.length - 1].b.mul(0) },
    ];
    return { ...p, T: zeroed(p.T), Q: zeroed(p.Q) };
  };
  // T's outputs z of the bodies' states xs against the polar frame of u = A(r − c), r and p the
  // relative ones: ρ = |u|, P₃ = θ̂_u·A⁻ᵀp, P₄ = û·A⁻ᵀp, to 1e-12 (A⁻ᵀ = [[A11, −A10], [−A01, A00]] / det)
  const expectPolarLift = (z: Float64Array, xs: Float64Array, centre: number[], A: number[][]) => {
    const det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
    for (let s = 0; s < xs.length / 8; s++) {
      const [x1, y1, x2, y2, px1, py1, px2, py2] = xs.subarray(8 * s, 8 * s + 8);
      const [dx, dy] = [x1 - x2 - centre[0], y1 - y2 - centre[1]];
      const u = [A[0][0] * dx + A[0][1] * dy, A[1][0] * dx + A[1][1] * dy];
      const ru = Math.hypot(u[0], u[1]);
      const [vx, vy] = [(px1 - px2) / 2, (py1 - py2) / 2];
      const q = [(A[1][1] * vx - A[1][0] * vy) / det, (-A[0][1] * vx + A[0][0] * vy) / det];
      expect(Math.abs(z[8 * s + 3] - ru)).toBeLessThan(1e-12);
      expect(Math.abs(z[8 * s + 6] - (u[0] * q[1] - u[1] * q[0]) / ru)).toBeLessThan(1e-12);
      expect(Math.abs(z[8 * s + 7] - (u[0] * q[0] + u[1] * q[1]) / ru)).toBeLessThan(1e-12);
    }
  };

  it("a random φ of the bodies' positions, no cyclic rows given: J_T Ω J_Tᵀ = Ω to 1e-10 (canonical by construction)", () => {
    const m = scnnModel({ ...options, cyclic: 2 });
    const p = m.init();
    const B = 12;
    // the random network moves T well off the identity, so the check is not of the identity
    const x = states(B);
    const moved = m.transform(p, x).toFloat64Array();
    const xs = x.toFloat64Array();
    let off = 0;
    for (let i = 0; i < xs.length; i++) off = Math.max(off, Math.abs(moved[i] - xs[i]));
    expect(off).toBeGreaterThan(0.05);
    const J = perSampleJacobian((z: Tensor) => m.transform(p, z))(x).toFloat64Array();
    const d = bracketDefects(J, B, 8);
    expect(Math.max(d.QQ, d.QP, d.PP)).toBeLessThan(1e-10);
    expect(m.poisson(p, x).item()).toBeLessThan(1e-20);
  });

  it("relative frame: with a closed row for the angle (a constant one-form) 𝓛_Poisson is 0 to 1e-20, with a random row not; X and P_x pass through", () => {
    const m = scnnModel(relative);
    const random = m.init();
    expect(Object.keys(random).sort()).toEqual(["H", "Q", "T"]);
    const B = 10;
    const x = states(B);
    // a = e_1 + (0.3, 0.5): the gradient of 1.3 r_x + 0.5 r_y, a closed form off the stand-in row e_1
    const last = random.Q[random.Q.length - 1];
    const closed = {
      ...random,
      Q: [...random.Q.slice(0, -1), { w: last.w.mul(0), b: tensor([0.3, 0.5]) }],
    };
    expect(m.poisson(closed, x).item()).toBeLessThan(1e-20);
    expect(m.poisson(random, x).item()).toBeGreaterThan(1e-8);
    // the stand-in output's row (e_1 through M) is not the given row: J built from it is not canonical
    const stand = bracketDefects(
      perSampleJacobian((z: Tensor) => m.transform(closed, z))(x).toFloat64Array(),
      B,
      8,
    );
    expect(stand.QP).toBeGreaterThan(0.1);
    const z = m.transform(random, x).toFloat64Array();
    const xs = x.toFloat64Array();
    for (let s = 0; s < B; s++) {
      const r = xs.subarray(8 * s, 8 * s + 8);
      expect(Math.abs(z[8 * s] - (r[0] + r[2]) / 2)).toBeLessThan(1e-15);
      expect(Math.abs(z[8 * s + 4] - (r[4] + r[6]))).toBeLessThan(1e-15);
    }
  });

  it("P is linear in p: P(q, 2p) = 2P(q, p) and P(q, p + p′) = P(q, p) + P(q, p′) to 1e-12", () => {
    const m = scnnModel(relative);
    const p = m.init();
    const B = 8;
    const a = twoBodyInitialStates(B, 5, { offset: 0.5, velocity: 0.3 });
    const b = twoBodyInitialStates(B, 6, { offset: 0.5, velocity: 0.3 });
    const withMomenta = (f: (s: number, j: number) => number) => {
      const out = Float64Array.from(a);
      for (let s = 0; s < B; s++) for (let j = 4; j < 8; j++) out[8 * s + j] = f(s, j);
      return out;
    };
    const P = (xs: Float64Array) =>
      slice(m.transform(p, tensor(xs, [B, 8])), [0, 4], [B, 8]).toFloat64Array();
    const base = P(a);
    const doubled = P(withMomenta((s, j) => 2 * a[8 * s + j]));
    const other = P(withMomenta((s, j) => b[8 * s + j]));
    const summed = P(withMomenta((s, j) => a[8 * s + j] + b[8 * s + j]));
    let scale = 0;
    for (const v of base) scale = Math.max(scale, Math.abs(v));
    expect(scale).toBeGreaterThan(0.1);
    for (let i = 0; i < base.length; i++) {
      expect(Math.abs(doubled[i] - 2 * base[i])).toBeLessThan(1e-12);
      expect(Math.abs(summed[i] - base[i] - other[i])).toBeLessThan(1e-12);
    }
  });

  it("the polar start with the networks' outputs zeroed: P₃ = θ̂·p = L/|r| and P₄ = r̂·p, r and p the relative ones, to 1e-12", () => {
    const m = scnnModel({ ...relative, pointStart: "polar" });
    const start = zeroedOutputs(m.init());
    const x = states(9);
    const z = m.transform(start, x).toFloat64Array();
    expectPolarLift(
      z,
      x.toFloat64Array(),
      [0, 0],
      [
        [1, 0],
        [0, 1],
      ],
    );
    // the identity start's momenta differ: P₃ = p_x there
    const identity = scnnModel(relative).transform(start, x).toFloat64Array();
    expect(Math.abs(identity[6] - z[6])).toBeGreaterThan(1e-3);
    expect(() => scnnModel({ ...options, cyclic: 2, pointStart: "polar" })).toThrow(/pointStart/);
    expect(() => scnnModel({ ...relative, transform: "general", pointStart: "polar" })).toThrow(/pointStart/);
  });

  it("the off-centre polar start (spread 0.2), networks zeroed: ρ = |u|, P₃ = θ̂_u·A⁻ᵀp and P₄ = û·A⁻ᵀp for u = A(r − c), to 1e-12; its frame still turns once around the origin", () => {
    const polar = { ...relative, pointStart: "polar" as const };
    const m = scnnModel({ ...polar, pointStartSpread: 0.2 });
    const start = zeroedOutputs(m.init());
    const { centre, A } = polarStartFrame(0.2, polar.seed);
    expect(Math.hypot(...centre)).toBeLessThanOrEqual(0.2);
    const det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
    expect(Math.abs(det - 1)).toBeLessThan(1e-12); // a rotation times diag(e^s, e^−s)
    const x = states(9);
    const z = m.transform(start, x).toFloat64Array();
    expectPolarLift(z, x.toFloat64Array(), centre, A);
    // ∇ρ = Aᵀû turns once along the circle |r| = 1 (the centre is inside it)
    let turned = 0;
    let last: number | undefined;
    for (let i = 0; i <= 360; i++) {
      const t = (2 * Math.PI * i) / 360;
      const [dx, dy] = [Math.cos(t) - centre[0], Math.sin(t) - centre[1]];
      const u = [A[0][0] * dx + A[0][1] * dy, A[1][0] * dx + A[1][1] * dy];
      const g = [A[0][0] * u[0] + A[1][0] * u[1], A[0][1] * u[0] + A[1][1] * u[1]];
      const angle = Math.atan2(g[1], g[0]);
      if (last !== undefined) turned += ((angle - last + 3 * Math.PI) % (2 * Math.PI)) - Math.PI;
      last = angle;
    }
    expect(Math.abs(turned - 2 * Math.PI)).toBeLessThan(1e-9);
    // not the polar frame about the collision point
    const centred = scnnModel(polar).transform(start, x).toFloat64Array();
    expect(Math.abs(centred[6] - z[6])).toBeGreaterThan(1e-3);
    expect(() => scnnModel({ ...polar, pointStart: "identity", pointStartSpread: 0.1 })).toThrow(
      /pointStartSpread/,
    );
    expect(() => scnnModel({ ...polar, pointStartSpread: 0.3 })).toThrow(/pointStartSpread/);
  });

  it("every coordinate cyclic is refused naming cyclic; an unknown transform naming transform", () => {
    expect(() => scnnModel({ ...options, cyclic: 4, cyclicQ: "gradients" })).toThrow(PhysmlInputError);
    expect(() => scnnModel({ ...options, cyclic: 4, cyclicQ: "gradients" })).toThrow(/cyclic/);
    expect(() => scnnModel({ ...options, cyclic: 3, transform: "affine" as "point" })).toThrow(/transform/);
  });
});
