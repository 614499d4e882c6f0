// optim/adam: steps against Adam's closed forms — a constant gradient moves every coordinate by
// lr·g/(|g| + ε) whatever β₁, β₂; two different gradients give m̂ = (β₁g₁ + g₂)/(1 + β₁) and
// v̂ = (β₂g₁² + g₂²)/(1 + β₂) — decoupled weight decay, schedules, purity and input checks.
import { describe, expect, it } from "vitest";
import { type Tensor, tensor } from "../index.js";
import { type AdamOptions, adam, adamw } from "./index.js";

function run(opts: AdamOptions, p0: Tensor, grads: Tensor[]) {
  const opt = adam(opts);
  let params = p0;
  let state = opt.init(p0);
  for (const g of grads) ({ params, state } = opt.step(params, g, state));
  return { params, state };
}

const near = (got: number, want: number, rel = 1e-14) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(want)));

describe("adam closed forms", () => {
  it("a constant gradient g moves p by lr·g/(|g| + ε) per step (bias correction exact)", () => {
    const g = tensor([2, -0.5, 8]);
    const { params, state } = run({ lr: 0.1, eps: 0.5, beta1: 0.7, beta2: 0.8 }, tensor([1, 1, 1]), [
      g,
      g,
      g,
    ]);
    const d = params.toFloat64Array();
    [2, -0.5, 8].forEach((gk, k) => {
      near(d[k], 1 - 3 * 0.1 * (gk / (Math.abs(gk) + 0.5)));
    });
    expect(state.step).toBe(3);
  });

  it("ε defaults to 1e-8: a gradient of 1e-8 moves p by lr/2", () => {
    const g = tensor([1e-8]);
    near(run({ lr: 0.1 }, tensor([0]), [g]).params.item(), -0.05, 1e-12);
    near(run({ lr: 0.1, eps: 0 }, tensor([0]), [g]).params.item(), -0.1, 1e-12);
  });

  it("two gradients: the second step is lr·m̂/(√v̂ + ε) with the default β₁ = 0.9, β₂ = 0.999", () => {
    const [g1, g2] = [3, -1];
    const { params, state } = run({ lr: 0.01, eps: 0.1 }, tensor([0]), [tensor([g1]), tensor([g2])]);
    const step1 = (0.01 * g1) / (Math.abs(g1) + 0.1);
    const mHat = (0.9 * g1 + g2) / 1.9;
    const vHat = (0.999 * g1 * g1 + g2 * g2) / 1.999;
    near(params.item(), -step1 - (0.01 * mHat) / (Math.sqrt(vHat) + 0.1));
    // the raw moments: m₂ = β₁(1−β₁)g₁ + (1−β₁)g₂, v₂ = β₂(1−β₂)g₁² + (1−β₂)g₂²
    near(state.m[0][0], 0.9 * 0.1 * g1 + 0.1 * g2);
    near(state.v[0][0], 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2);
  });

  it("β₁ = 0 and β₂ = 0 make every step lr·g/(|g| + ε)", () => {
    const p = run({ lr: 1, beta1: 0, beta2: 0, eps: 1 }, tensor([0]), [tensor([3]), tensor([-1])]).params;
    near(p.item(), -3 / 4 + 1 / 2);
  });

  it("AdamW subtracts lr·wd·p (default wd 1e-2, 0 allowed); Adam has none by default", () => {
    const zero = [tensor([0, 0])];
    const p0 = tensor([2, -4]);
    expect(Array.from(run({ lr: 0.5 }, p0, zero).params.toFloat64Array())).toEqual([2, -4]);
    const w = adamw({ lr: 0.5 });
    const d = w.step(p0, zero[0], w.init(p0)).params.toFloat64Array();
    near(d[0], 2 * (1 - 0.5 * 1e-2));
    near(d[1], -4 * (1 - 0.5 * 1e-2));
    const w0 = adamw({ lr: 0.5, weightDecay: 0 });
    expect(Array.from(w0.step(p0, zero[0], w0.init(p0)).params.toFloat64Array())).toEqual([2, -4]);
    // with a gradient: p − lr·(g/(|g| + ε) + wd·p)
    near(
      run({ lr: 0.1, eps: 1, weightDecay: 0.5 }, tensor([2]), [tensor([1])]).params.item(),
      2 - 0.1 * (0.5 + 1),
    );
  });

  it("a schedule is read at steps 0, 1, 2; a negative rate is refused by name", () => {
    const seen: number[] = [];
    const g = tensor([1]);
    const p = run(
      {
        lr: (k) => {
          seen.push(k);
          return 2 ** -k;
        },
        eps: 0,
      },
      tensor([0]),
      [g, g, g],
    ).params;
    expect(seen).toEqual([0, 1, 2]);
    near(p.item(), -(1 + 0.5 + 0.25));
    expect(() => run({ lr: -1 }, tensor([0]), [g])).toThrow(
      /^adam\.lr: expected a finite learning rate >= 0, got -1$/,
    );
  });
});

describe("adam state and trees", () => {
  it("init gives zero moments per leaf; step does not touch its inputs; float32 leaves stay float32", () => {
    const p = { w: tensor([1, 2], [2], "float32"), b: [tensor([3])] };
    const opt = adam({ lr: 0.1 });
    const s0 = opt.init(p);
    expect(s0.step).toBe(0);
    expect(s0.m.map((a) => Array.from(a))).toEqual([[0, 0], [0]]);
    expect(s0.v.map((a) => Array.from(a))).toEqual([[0, 0], [0]]);
    const g = { w: tensor([1, -1], [2], "float32"), b: [tensor([2])] };
    const { params, state } = opt.step(p, g, s0);
    expect(s0.m.map((a) => Array.from(a))).toEqual([[0, 0], [0]]);
    expect(Array.from(p.w.toFloat64Array())).toEqual([1, 2]);
    expect(params.w.dtype).toBe("float32");
    expect(Array.from(params.w.toFloat64Array())).toEqual(Array.from(Float32Array.from([0.9, 2.1])));
    near(params.b[0].item(), 3 - 0.1 * (2 / (2 + 1e-8)));
    expect(state.m.length).toBe(2);
  });

  it("refuses β outside [0, 1) and negative or non-finite ε and weight decay, naming them", () => {
    for (const b of [1, -0.1, Number.NaN]) {
      expect(() => adam({ lr: 1, beta1: b })).toThrow(
        new RegExp(`^adam\\.beta1: expected a number in \\[0, 1\\), got ${b}$`),
      );
      expect(() => adam({ lr: 1, beta2: b })).toThrow(/^adam\.beta2: /);
    }
    for (const v of [-1e-9, Number.POSITIVE_INFINITY]) {
      expect(() => adam({ lr: 1, eps: v })).toThrow(/^adam\.eps: expected a finite number >= 0/);
      expect(() => adam({ lr: 1, weightDecay: v })).toThrow(
        /^adam\.weightDecay: expected a finite number >= 0/,
      );
    }
  });
});
