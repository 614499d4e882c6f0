import { PhysmlInputError, parseOptions } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { LaxModel } from "./lax/model.js";
import {
  connectionOptionsSchema,
  connectionParameters,
  kdvOptionsSchema,
  laxBudgets,
  laxOptionsSchema,
  scnnOptionsSchema,
  simulateOptionsSchema,
  withConnectionTraining,
} from "./options.js";

/** `--frame bodies --tilt 0 --retrograde 0 --cyclic-q outputs --transform general --point-start identity --conservation rate --hamiltonian general --steps 2000 --restarts 0 --warmup 0` */
const OLD_SCNN_DEFAULTS = {
  frame: "bodies",
  tilt: 0,
  retrograde: 0,
  cyclicQ: "outputs",
  transform: "general",
  pointStart: "identity",
  conservation: "rate",
  hamiltonian: "general",
  steps: 2000,
  restarts: 0,
  warmup: 0,
};

describe("integrability option schemas", () => {
  it("defaults are the documented budgets", () => {
    // lax's budgets are the system's own (the oscillator's and Toda's measured settings) or the general ones
    const ho = parseOptions(laxOptionsSchema, { system: "ho" });
    expect(ho).toEqual({ system: "ho", samples: 256, seed: 0 });
    expect(laxBudgets(ho)).toEqual({ ...ho, adamSteps: 800, lbfgsIter: 100, polish: "lbfgs" });
    // the 2D oscillator's own model, perturbed or not
    const ho2d = parseOptions(laxOptionsSchema, { system: "ho2d" });
    expect(laxBudgets(ho2d)).toEqual({ ...ho2d, adamSteps: 0, lbfgsIter: 100, polish: "lm" });
    const perturbed = parseOptions(laxOptionsSchema, { system: "ho2d", perturbation: { kind: "h1" } });
    expect(laxBudgets(perturbed)).toEqual({ ...perturbed, adamSteps: 0, lbfgsIter: 100, polish: "lm" });
    const heh = parseOptions(laxOptionsSchema, { system: "henon-heiles" });
    expect(laxBudgets(heh)).toEqual({ ...heh, adamSteps: 800, lbfgsIter: 300, polish: "lbfgs" });
    const toda = parseOptions(laxOptionsSchema, { system: "toda", lbfgsIter: 60 });
    expect(laxBudgets(toda)).toEqual({ ...toda, adamSteps: 300, lbfgsIter: 60, polish: "lm" });
    // the two-body comparison's defaults are the README's setting that passes its held-out check
    // (the point T from the polar start, the mechanical H_θ, eccentric orbits of both senses)
    const scnnDefaults = parseOptions(scnnOptionsSchema, {});
    expect(scnnDefaults).toEqual({
      system: "two-body",
      steps: 4000,
      trainOrbits: 32,
      testOrbits: 8,
      time: 6,
      batch: 128,
      lr: 3e-3,
      warmup: 200,
      boost: { offset: 0.5, velocity: 0.1 },
      speedSpread: 0.1,
      tilt: 0.5,
      retrograde: 0.5,
      inverseSquare: 0,
      cyclic: 3,
      cyclicQ: "gradients",
      transform: "point",
      pointStart: "polar",
      pointStartSpread: 0,
      generalStart: "identity",
      hamiltonian: "mechanical",
      frame: "relative",
      poissonWeight: 1,
      conservationWeight: 10,
      conservation: "cosine",
      commutationWeight: 0,
      independenceWeight: 0,
      independence: "determinant",
      restarts: 2,
      restartWithin: 0.005,
      seed: 0,
    });
    // the defaults before 7 December 2026 (bench/run.ts scnn; the Greydanus comparison) as the
    // README spells them out
    expect(parseOptions(scnnOptionsSchema, OLD_SCNN_DEFAULTS)).toEqual({
      ...scnnDefaults,
      steps: 2000,
      warmup: 0,
      tilt: 0,
      retrograde: 0,
      cyclicQ: "outputs",
      transform: "general",
      pointStart: "identity",
      hamiltonian: "general",
      frame: "bodies",
      conservation: "rate",
      restarts: 0,
    });
    expect(parseOptions(scnnOptionsSchema, { boost: { velocity: 0 } }).boost).toEqual({
      offset: 0.5,
      velocity: 0,
    });
    // the KdV connection's defaults are the README's measured setting (bench/run.ts kdv-connection)
    expect(parseOptions(kdvOptionsSchema, {})).toEqual({
      order: 2,
      size: 2,
      lift: "quadratic",
      lossTerms: "field",
      samples: 512,
      adamSteps: 200,
      polishIter: 60,
      restarts: 9,
      polish: "lm",
      lr: 3e-3,
      data: { trajectories: 6, n: 256, time: 2, snapshots: 11 },
      seed: 0,
    });
    // the kdv command's restarts by its class, as the connection command's
    expect(parseOptions(kdvOptionsSchema, { hidden: [8, 8] }).restarts).toBe(2);
    expect(parseOptions(kdvOptionsSchema, { hidden: [8, 8], restarts: 5 }).restarts).toBe(5);
    expect(parseOptions(kdvOptionsSchema, { restarts: 0 }).restarts).toBe(0);
    expect(
      parseOptions(simulateOptionsSchema, { system: "ho2d", perturbation: { kind: "h1" } }).perturbation,
    ).toEqual({
      kind: "h1",
      epsilon: 0.1,
    });
  });

  it("a simulation takes at most 10^7 steps: a tiny h over a long time is refused naming h", () => {
    expect(() => parseOptions(simulateOptionsSchema, { system: "ho", time: 1e4, h: 1e-9 })).toThrow(
      /^h: expected a step with time \/ h ≤ 10\^7 steps \(h ≥ 0\.00100 for --trajectory-time 10000\), got 1e-9$/,
    );
    expect(parseOptions(simulateOptionsSchema, { system: "ho", time: 1e4, h: 1e-3 }).h).toBe(1e-3);
    expect(() => parseOptions(simulateOptionsSchema, { system: "ho", time: 1e4, h: 0.999e-3 })).toThrow(
      PhysmlInputError,
    );
  });

  it("the SCNN's independence weight is a number in [0, 1e5] and its form determinant | log | values, refused otherwise naming the field", () => {
    expect(parseOptions(scnnOptionsSchema, { independenceWeight: 1e5 }).independenceWeight).toBe(1e5);
    expect(parseOptions(scnnOptionsSchema, { independence: "log" }).independence).toBe("log");
    expect(parseOptions(scnnOptionsSchema, { independence: "values" }).independence).toBe("values");
    expect(() => parseOptions(scnnOptionsSchema, { independence: "trace" })).toThrow(/^independence: /);
    for (const w of [-1, 2e5]) {
      expect(() => parseOptions(scnnOptionsSchema, { independenceWeight: w })).toThrow(PhysmlInputError);
      expect(() => parseOptions(scnnOptionsSchema, { independenceWeight: w })).toThrow(
        /^independenceWeight: expected a number in \[0, 100000\]/,
      );
    }
  });

  it("the SCNN's restarts are an integer in [0, 20], only in the relative frame with 3 or 4 cyclic coordinates; the threshold a share in (0, 1]", () => {
    const relative = { frame: "relative", cyclic: 4, transform: "general", hamiltonian: "general" };
    expect(parseOptions(scnnOptionsSchema, { ...relative, restarts: 20 }).restarts).toBe(20);
    expect(parseOptions(scnnOptionsSchema, { frame: "relative", cyclic: 3, restarts: 1 }).restarts).toBe(1);
    expect(parseOptions(scnnOptionsSchema, { restartWithin: 1 }).restartWithin).toBe(1);
    for (const restarts of [-1, 21, 1.5])
      expect(() => parseOptions(scnnOptionsSchema, { ...relative, restarts })).toThrow(
        /^restarts: expected /,
      );
    for (const other of [
      { frame: "bodies", cyclic: 4 },
      { frame: "centre-of-mass", cyclic: 4 },
      { frame: "relative", cyclic: 2 },
    ])
      expect(() => parseOptions(scnnOptionsSchema, { ...other, restarts: 1 })).toThrow(
        /^restarts: expected 0 unless --frame relative and --cyclic 3 or 4/,
      );
    for (const restartWithin of [0, -0.1, 1.01])
      expect(() => parseOptions(scnnOptionsSchema, { restartWithin })).toThrow(/^restartWithin: expected /);
  });

  it("the SCNN's T is general or point, point only with at most 3 cyclic coordinates, its polar start only for the relative plane's angle; refused otherwise naming the field", () => {
    expect(parseOptions(scnnOptionsSchema, { transform: "point" }).transform).toBe("point");
    expect(
      parseOptions(scnnOptionsSchema, { transform: "general", hamiltonian: "general", cyclic: 4 }).cyclic,
    ).toBe(4);
    expect(() => parseOptions(scnnOptionsSchema, { transform: "affine" })).toThrow(/^transform: /);
    const polar = {
      transform: "point",
      frame: "relative",
      cyclic: 3,
      cyclicQ: "gradients",
      pointStart: "polar",
      restarts: 0,
    };
    expect(parseOptions(scnnOptionsSchema, polar).pointStart).toBe("polar");
    for (const other of [
      { transform: "general" },
      { frame: "bodies" },
      { cyclic: 2 },
      { cyclicQ: "outputs" },
    ])
      expect(() => parseOptions(scnnOptionsSchema, { ...polar, ...other })).toThrow(
        /^pointStart: expected identity unless --transform point --frame relative --cyclic 3 --cyclic-q gradients/,
      );
    expect(parseOptions(scnnOptionsSchema, { ...polar, pointStartSpread: 0.25 }).pointStartSpread).toBe(0.25);
    expect(() => parseOptions(scnnOptionsSchema, { ...polar, pointStartSpread: 0.3 })).toThrow(
      /^pointStartSpread: /,
    );
    expect(() =>
      parseOptions(scnnOptionsSchema, { ...polar, pointStart: "identity", pointStartSpread: 0.1 }),
    ).toThrow(/^pointStartSpread: expected 0 unless --point-start polar/);
    const pointCyclic4 = { transform: "point", hamiltonian: "general", cyclic: 4 };
    expect(() => parseOptions(scnnOptionsSchema, pointCyclic4)).toThrow(PhysmlInputError);
    expect(() => parseOptions(scnnOptionsSchema, pointCyclic4)).toThrow(
      /^transform: expected general with --cyclic 4/,
    );
    expect(parseOptions(scnnOptionsSchema, { ...polar, hamiltonian: "mechanical" }).hamiltonian).toBe(
      "mechanical",
    );
    expect(() => parseOptions(scnnOptionsSchema, { hamiltonian: "mechanical", cyclic: 4 })).toThrow(
      /^hamiltonian: expected general with --cyclic 4/,
    );
    const generalPolar = { ...polar, transform: "general", pointStart: "identity", generalStart: "polar" };
    expect(parseOptions(scnnOptionsSchema, generalPolar).generalStart).toBe("polar");
    for (const other of [
      { transform: "point" },
      { frame: "centre-of-mass" },
      { cyclic: 4 },
      { cyclicQ: "outputs" },
    ])
      expect(() => parseOptions(scnnOptionsSchema, { ...generalPolar, ...other })).toThrow(
        /^generalStart: expected identity unless --transform general --frame relative --cyclic 3 --cyclic-q gradients/,
      );
    expect(() => parseOptions(scnnOptionsSchema, { ...generalPolar, generalStart: "spiral" })).toThrow(
      /^generalStart: expected one of identity \| polar, got spiral$/,
    );
    expect(parseOptions(scnnOptionsSchema, { warmup: 1999 }).warmup).toBe(1999);
    expect(() => parseOptions(scnnOptionsSchema, { warmup: 100, steps: 100 })).toThrow(
      /^warmup: expected an integer in \[0, 99\] \(less than --steps\)/,
    );
  });

  it("the point T's start, when not given, is the polar frame where it applies and the identity elsewhere; --transform general alone is the paper's near-identity T", () => {
    const start = (o: Record<string, unknown>) => parseOptions(scnnOptionsSchema, o).pointStart;
    expect(start({})).toBe("polar");
    expect(start({ transform: "general" })).toBe("identity");
    expect(parseOptions(scnnOptionsSchema, { transform: "general" }).generalStart).toBe("identity");
    expect(start({ frame: "bodies", restarts: 0 })).toBe("identity");
    expect(start({ cyclic: 2, restarts: 0 })).toBe("identity");
    expect(start({ cyclicQ: "outputs" })).toBe("identity");
    expect(start({ pointStart: "identity" })).toBe("identity");
    // given, it is judged as before: polar with a general T is refused
    expect(() => parseOptions(scnnOptionsSchema, { transform: "general", pointStart: "polar" })).toThrow(
      /^pointStart: expected identity unless --transform point/,
    );
  });

  it("a perturbation belongs to ho2d only, and ε needs its kind", () => {
    let e: unknown;
    try {
      parseOptions(laxOptionsSchema, { system: "toda", perturbation: { kind: "h2", epsilon: 0.2 } });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(PhysmlInputError);
    expect((e as PhysmlInputError).field).toBe("perturbation.kind");
    expect(() =>
      parseOptions(simulateOptionsSchema, { system: "ho2d", perturbation: { epsilon: 0.2 } }),
    ).toThrow(/perturbation.kind: expected one of h1 \| h2/);
    expect(() =>
      parseOptions(simulateOptionsSchema, { system: "ho2d", perturbation: { kind: "h1", epsilon: 1 } }),
    ).toThrow(/perturbation.epsilon: expected a number in \[-0.99, 0.99\]/);
  });

  it("the KdV connection's parameter count is the model's, and Levenberg–Marquardt refuses more than 4000 naming hidden", () => {
    // the count of LaxModel's own parameter arrays (the README's bench model has 304)
    const counted = (order: number, size: number, hidden: number[]) => {
      const p = new LaxModel({ inputs: order + 1, size, hidden, seed: 0, linear: true }).init();
      return [...p.L, ...p.M].reduce((a, l) => a + l.w.size + (l.b?.size ?? 0), 0);
    };
    expect(connectionParameters({ order: 2, size: 2, hidden: [8, 8] })).toBe(304);
    for (const [order, size, hidden] of [
      [2, 2, [8, 8]],
      [4, 3, [16]],
      [1, 4, [5, 7, 3]],
    ] as const)
      expect(connectionParameters({ order, size, hidden: [...hidden] })).toBe(
        counted(order, size, [...hidden]),
      );
    expect(() => parseOptions(kdvOptionsSchema, { hidden: [64, 64], lift: "none" })).toThrow(
      /^hidden: expected at most 4000 parameters with --polish lm \(these widths give 9376;/,
    );
    expect(parseOptions(kdvOptionsSchema, { hidden: [64, 64], polish: "lbfgs" }).hidden).toEqual([64, 64]);
    expect(() => parseOptions(kdvOptionsSchema, { data: { n: 100 } })).toThrow(/^data.n: expected one of 64/);
    for (const hidden of [[], [8, 0], [8, 2.5], [300], [4, 4, 4, 4, 4]])
      expect(() => parseOptions(kdvOptionsSchema, { hidden }), String(hidden)).toThrow(
        /^hidden: expected 1 to 4 widths, each an integer in \[1, 256\]/,
      );
  });

  it("kdv and connection offer the same grid sizes; heisenberg's stop at 512", () => {
    const kdvNs = [64, 128, 256, 512, 1024].filter((n) => {
      try {
        return parseOptions(kdvOptionsSchema, { data: { n } }).data.n === n;
      } catch {
        return false;
      }
    });
    expect(kdvNs).toEqual([64, 128, 256, 512, 1024]);
    for (const system of ["kdv", "sine-gordon"] as const)
      for (const n of kdvNs)
        expect(parseOptions(connectionOptionsSchema, { system, data: { n } }).data.n, `${system} ${n}`).toBe(
          n,
        );
    for (const n of [64, 128, 256, 512])
      expect(parseOptions(connectionOptionsSchema, { system: "heisenberg", data: { n } }).data.n).toBe(n);
    expect(() => parseOptions(connectionOptionsSchema, { system: "heisenberg", data: { n: 1024 } })).toThrow(
      new PhysmlInputError("data.n", "one of 64 | 128 | 256 | 512 with --system heisenberg", 1024),
    );
    // the size left out is the system's default, which fits
    expect(parseOptions(connectionOptionsSchema, { system: "heisenberg" }).data.n).toBeUndefined();
    expect(() => parseOptions(connectionOptionsSchema, { system: "sine-gordon", data: { n: 2048 } })).toThrow(
      /^data.n: expected one of 64 \| 128 \| 256 \| 512 \| 1024, got 2048/,
    );
  });

  it("connection: the training budget is one connection's, or the family's with --spectral-range (from the fixed start, or from a random one); given values stay", () => {
    const budget = (input: object) => {
      const o = withConnectionTraining(parseOptions(connectionOptionsSchema, { system: "kdv", ...input }));
      return [o.samples, o.adamSteps, o.restarts];
    };
    expect(budget({})).toEqual([512, 200, 9]);
    // a class with hidden layers never gets below the stall bar: each restart is a whole training
    expect(budget({ hidden: [8, 8] })).toEqual([512, 200, 2]);
    expect(budget({ hidden: [8, 8], restarts: 0 })).toEqual([512, 200, 0]);
    // the family starts from the fixed-λ connection unless told otherwise
    expect(parseOptions(connectionOptionsSchema, { system: "kdv", spectralRange: [-0.5, 0.5] }).start).toBe(
      "fixed",
    );
    expect(parseOptions(connectionOptionsSchema, { system: "kdv" }).start).toBe("random");
    expect(budget({ spectralRange: [-0.5, 0.5] })).toEqual([1024, 0, 0]);
    expect(budget({ spectralRange: [-0.5, 0.5], start: "random" })).toEqual([1024, 1000, 5]);
    expect(budget({ spectralRange: [-0.5, 0.5], samples: 256, adamSteps: 50, restarts: 0 })).toEqual([
      256, 50, 0,
    ]);
    expect(budget({ samples: 2048, restarts: 7 })).toEqual([2048, 200, 7]);
    expect(() => parseOptions(connectionOptionsSchema, { system: "kdv", restarts: 21 })).toThrow(/restarts/);
  });

  it("connection --spectral-range: KdV within ±2, sine-Gordon and Heisenberg on one side of 0", () => {
    const range = (system: string, spectralRange: number[], more: object = {}) =>
      parseOptions(connectionOptionsSchema, { system, spectralRange, ...more }).spectralRange;
    expect(range("kdv", [-0.5, 0.5])).toEqual([-0.5, 0.5]);
    expect(range("sine-gordon", [0.5, 2])).toEqual([0.5, 2]);
    expect(range("sine-gordon", [-3, -1 / 3])).toEqual([-3, -1 / 3]);
    const sg =
      "two numbers a,b with 1/3 <= a < b <= 3 or -3 <= a < b <= -1/3 (k = 0 is a pole), only with --system sine-gordon's default model (no --hidden, --lift or --size)";
    for (const bad of [
      [-0.5, 0.5],
      [0, 1],
      [1, 0.5],
      [0.5, 3.5],
      [0.2, 1],
      [-1, 0],
    ])
      expect(() => range("sine-gordon", bad), bad.join(",")).toThrow(`spectralRange: expected ${sg}`);
    expect(() => range("sine-gordon", [0.5, 2], { hidden: [4] })).toThrow(`spectralRange: expected ${sg}`);
    expect(range("heisenberg", [0.5, 2])).toEqual([0.5, 2]);
    expect(range("heisenberg", [-3, -1 / 3])).toEqual([-3, -1 / 3]);
    const heis =
      "two numbers a,b with 1/3 <= a < b <= 3 or -3 <= a < b <= -1/3 (A = 0 at λ = 0), only with --system heisenberg's default model (no --hidden, --lift or --size)";
    for (const bad of [
      [-0.5, 0.5],
      [0, 1],
      [2, 0.5],
      [0.5, 4],
      [0.2, 1],
    ])
      expect(() => range("heisenberg", bad), bad.join(",")).toThrow(`spectralRange: expected ${heis}`);
    expect(() => range("heisenberg", [0.5, 2], { size: 4 })).toThrow(`spectralRange: expected ${heis}`);
    expect(() => range("kdv", [-3, 0])).toThrow(
      /^spectralRange: expected two numbers a,b with -2 <= a < b <= 2,/,
    );
  });
});
