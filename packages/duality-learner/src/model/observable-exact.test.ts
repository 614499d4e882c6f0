// The tensor side of the observable map on plain arrays: the gathered window matrix and offset
// tables against lattice coordinates, the attention weights of each forward mode against the
// properties that define them, and the MLP map (a single linear layer, so O is known by hand).
import { random, tensor } from "@physml/autodiff";
import { MLP } from "@physml/autodiff/nn";
import { squareLattice } from "@physml/lattice-core";
import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { featuresBatch, shapeTables } from "./features.js";
import { attentionWeights, FeatureGeometry, type ForwardOptions, mlpFeatures } from "./observable.js";
import { EXTENDED_SHAPES } from "./shapes.js";
import { candidateSlots, windowTable } from "./window.js";

const lat = squareLattice(4, 3);
const nl = lat.nLinks;
const slots = candidateSlots(1);
const K = slots.length;
const win = windowTable(lat, slots);
const geom = new FeatureGeometry(lat, slots, win, EXTENDED_SHAPES);
const tables = shapeTables(lat, EXTENDED_SHAPES);
const S = 2;

const r = seededUniform(17);
const x = Float64Array.from({ length: S * nl }, () => (r() < 0.6 ? 1 : -1));

describe("FeatureGeometry", () => {
  test("one offset table per distinct link offset of the shapes, each its translations", () => {
    expect(geom.K).toBe(K);
    // The extended shapes use the four plaquette sides and the left and lower links of a site.
    const offsets = new Set(EXTENDED_SHAPES.flatMap((s) => s.links.map((o) => `${o.dx},${o.dy},${o.dir}`)));
    expect(geom.offsetTables).toHaveLength(offsets.size);
    expect(offsets.size).toBe(6);
    EXTENDED_SHAPES.forEach((s, a) => {
      expect(geom.shapeOffsets[a]).toHaveLength(s.links.length);
      s.links.forEach((o, j) => {
        const t = geom.offsetTables[geom.shapeOffsets[a][j]];
        for (let i = 0; i < lat.nSites; i++) {
          const [px, py] = lat.coords(i);
          expect(t[i]).toBe(lat.link(px + o.dx, py + o.dy, o.dir));
        }
      });
    });
  });

  test("the window matrix row (b, l) holds the K links of l's window in sample b", () => {
    const X = geom.windowMatrix(x, S);
    expect(X.shape).toEqual([S * nl, K]);
    const v = X.toFloat64Array();
    for (let b = 0; b < S; b++)
      for (let l = 0; l < nl; l++)
        for (let k = 0; k < K; k++) expect(v[(b * nl + l) * K + k]).toBe(x[b * nl + win[l * K + k]]);
  });

  test("features of a link field equal the plain-array features", () => {
    const O = Float64Array.from({ length: S * nl }, () => 2 * r() - 1);
    const got = geom.features(tensor(O, [S, nl])).toFloat64Array();
    const want = featuresBatch(lat, tables, O, S);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 14);
  });
});

describe("attentionWeights", () => {
  const logits = tensor([0.3, -0.2, 0.5, 0.1, -0.4, 0.2, 0]);
  const base: ForwardOptions = { key: random.key(4), tau: 0.5, hard: false, gumbel: false };
  const z = [0.3, -0.2, 0.5, 0.1, -0.4, 0.2, 0].map(Math.exp);
  const zs = z.reduce((a, b) => a + b);

  test("without Gumbel noise: the softmax of the logits", () => {
    const w = attentionWeights(logits, base).toFloat64Array();
    for (let k = 0; k < K; k++) expect(w[k]).toBeCloseTo(z[k] / zs, 15);
  });

  test("with Gumbel noise: log-ratios scale as 1/τ for one key, and differ from the plain softmax", () => {
    const at = (tau: number, key = base.key) =>
      attentionWeights(logits, { ...base, gumbel: true, tau, key }).toFloat64Array();
    const a = at(0.5);
    const b = at(2);
    const sum = a.reduce((p, q) => p + q, 0);
    expect(sum).toBeCloseTo(1, 14);
    // (l_i + g_i − l_0 − g_0)/τ with the same noise g at both temperatures
    for (let k = 1; k < K; k++)
      expect(0.5 * Math.log(a[k] / a[0])).toBeCloseTo(2 * Math.log(b[k] / b[0]), 12);
    let off = 0;
    for (let k = 0; k < K; k++)
      off = Math.max(off, Math.abs(Math.log(a[k] / a[0]) - 2 * Math.log(z[k] / z[0])));
    expect(off).toBeGreaterThan(1e-3);
    const c = at(0.5, random.key(5));
    expect(Math.max(...a.map((v, k) => Math.abs(v - c[k])))).toBeGreaterThan(1e-3);
  });

  test("hard: exactly one-hot, on the largest soft weight", () => {
    const soft = attentionWeights(logits, { ...base, gumbel: true }).toFloat64Array();
    const hard = attentionWeights(logits, { ...base, gumbel: true, hard: true }).toFloat64Array();
    const best = soft.indexOf(Math.max(...soft));
    expect(Array.from(hard)).toEqual(Array.from({ length: K }, (_, k) => (k === best ? 1 : 0)));
  });
});

describe("mlpFeatures", () => {
  // One linear layer: O_l = Σ_k w_k x_{n_k(l)} + b.
  const net = new MLP([K, 1], { key: random.key(2) });
  const p = net.params;
  const w = p[0].w.toFloat64Array();
  const bias = p[0].b?.toFloat64Array()[0] ?? 0;
  const direct = (sign: number) => {
    const O = new Float64Array(S * nl);
    for (let b = 0; b < S; b++)
      for (let l = 0; l < nl; l++) {
        let y = bias;
        for (let k = 0; k < K; k++) y += w[k] * sign * x[b * nl + win[l * K + k]];
        O[b * nl + l] = y;
      }
    return featuresBatch(lat, tables, O, S);
  };

  test.each([1, -1])("sign %i: ψ of the linear map of sign·x, evaluated by hand", (sign) => {
    const got = mlpFeatures(geom, geom.windowMatrix(x, S), S, net, p, sign);
    expect(got.shape).toEqual([S, EXTENDED_SHAPES.length]);
    const want = direct(sign);
    const g = got.toFloat64Array();
    for (let i = 0; i < want.length; i++) expect(g[i]).toBeCloseTo(want[i], 13);
  });
});
