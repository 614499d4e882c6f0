// The kernel choice against the rules SPEC.md states for the packed kernel (nn-only couplings
// equal in all chains, no tempering, 2 colours, sides of at least 4), and every backend's
// strategy of each kernel wired to that kernel.
import { type Couplings, couplings, PhysmlInputError, squareLattice } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { cpuKernel } from "../cpu/kernel/registry.js";
import { gpuKernel } from "../webgpu/kernel/registry.js";
import { autoColours, chooseKernel, KERNEL_KINDS, kernelRules } from "./registry.js";
import type { KernelChoice } from "./rules.js";

const choice = (patch: Partial<KernelChoice> = {}): KernelChoice => ({
  couplings: [couplings({ nn: 0.4 }), couplings({ nn: 0.4 })],
  tempering: false,
  colouring: "auto",
  lattice: squareLattice(8),
  ...patch,
});
const fieldOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PhysmlInputError);
    return (e as PhysmlInputError).field;
  }
  return "no error";
};

describe("chooseKernel", () => {
  test("auto: packed when every rule holds, else int", () => {
    expect(chooseKernel("auto", choice())).toBe("packed");
    const refusals: Partial<KernelChoice>[] = [
      { tempering: true },
      { colouring: 4 },
      { lattice: squareLattice(2, 8) },
      { couplings: [couplings({ nn: 0.4 }), couplings({ nn: 0.3 })] },
      { couplings: [couplings({ nn: 0.4, field: 0.1 }), couplings({ nn: 0.4, field: 0.1 })] },
    ];
    for (const patch of refusals) {
      expect(chooseKernel("auto", choice(patch))).toBe("int");
      expect(fieldOf(() => chooseKernel("packed", choice(patch)))).toBe("kernel");
    }
  });

  test("int runs everything; colours: packed always 2, int 2 only when the couplings allow it", () => {
    expect(chooseKernel("int", choice({ tempering: true, colouring: 4 }))).toBe("int");
    expect(autoColours("packed", false)).toBe(2);
    expect(autoColours("int", true)).toBe(2);
    expect(autoColours("int", false)).toBe(4);
  });

  test("an unknown kernel is refused naming the field and the known ones", () => {
    expect(() => kernelRules("fast")).toThrow("kernel: expected int or packed, got fast");
    expect(() => kernelRules("toString")).toThrow(PhysmlInputError);
  });
});

describe("kernel rules on new couplings", () => {
  const cs = (...c: Partial<Couplings>[]) => c.map((x) => couplings(x));
  test("packed: chain k's couplings named, nn only and equal to chain 0's", () => {
    const rules = kernelRules("packed");
    expect(fieldOf(() => rules.checkChain(cs({ nn: 1 }, { nn: 1, nnn: 0.1 }), 1))).toBe("couplings[1]");
    expect(fieldOf(() => rules.checkChain(cs({ nn: 1 }, { nn: 0.5 }), 1))).toBe("couplings[1].nn");
    expect(fieldOf(() => rules.checkChain(cs({ nn: 1 }, { nn: 1 }), 1))).toBe("no error");
    expect(fieldOf(() => rules.checkFit(cs({ nn: 1 }, { nn: 0.5 }), "couplings"))).toBe("couplings");
  });
  test("int: any couplings", () => {
    const odd = cs({ nn: 1, plaquette: 0.3 }, { nn: -2, nnn: 0.1, field: 0.2 });
    expect(fieldOf(() => kernelRules("int").checkChain(odd, 1))).toBe("no error");
    expect(fieldOf(() => kernelRules("int").checkFit(odd, "couplings"))).toBe("no error");
  });
});

test("every backend has a strategy for every kernel, wired to that kernel", () => {
  for (const kind of KERNEL_KINDS) {
    expect(cpuKernel(kind).kind).toBe(kind);
    expect(gpuKernel(kind).kind).toBe(kind);
  }
});
