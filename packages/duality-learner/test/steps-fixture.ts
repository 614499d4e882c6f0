// A training step's fixed context and candidate samples on a small torus, for the tests of the
// update rules (src/train/steps.ts and the rules it calls): the context is the learner's own
// (stepContextOf), the samples come from the sampler at a given t_nn (seeded), as the learner's
// persistent chains give them.
import { type SquareLattice, squareLattice } from "@physml/lattice-core";
import { createSampler } from "@physml/mcmc-gpu";
import { type DualityConfigInput, resolveConfig, type UpdateRule } from "../src/config.js";
import { linkVariablesBatch } from "../src/model/features.js";
import { resolveShapes } from "../src/model/shapes.js";
import type { GroupState } from "../src/train/group-state.js";
import type { StepContext } from "../src/train/step-context.js";
import { stepContextOf } from "../src/train/step-context.js";
import type { StepData } from "../src/train/step-data.js";

/** Four shapes keep the moments small: the two links and the two L shapes. */
export const FIXTURE_SHAPES = ["h", "v", "L_bottom_left", "L_bottom_right"];

/** The step context of a 4×4 run with the given settings (defaults: the exact attention map). */
export function stepContext(
  over: Partial<DualityConfigInput> = {},
  target: readonly number[] = [0.6, 0.6, 0.45, 0.45],
): StepContext {
  const config = resolveConfig({ beta: 0.4, L: 4, seed: 3, backend: "cpu", shapes: FIXTURE_SHAPES, ...over });
  const lattice: SquareLattice = squareLattice(config.L, config.Ly ?? config.L);
  return stepContextOf(config, lattice, resolveShapes(config.shapes), target);
}

/** `chains × samplesPerChain` candidate samples at t_nn = `nn`: link variables and term sums. */
export async function candidateSamples(
  lattice: SquareLattice,
  nn: number,
  chains: number,
  samplesPerChain: number,
  seed: number,
): Promise<Pick<StepData, "x" | "terms" | "samples">> {
  const sampler = await createSampler({
    lattice,
    couplings: { nn },
    chains,
    seed,
    backend: "cpu",
    init: "cold",
  });
  try {
    await sampler.sweep(20);
    const m = await sampler.measure({ sweeps: samplesPerChain, every: 1, configurations: true });
    const samples = chains * samplesPerChain;
    const x = linkVariablesBatch(lattice, m.configurations as Int8Array, samples);
    return { x, terms: Float64Array.from(m.terms), samples };
  } finally {
    await sampler.dispose();
  }
}

/** `gs` as a group of update rule `rule`; throws (failing the test) when it is of another rule. */
export function ofRule<R extends UpdateRule>(gs: GroupState, rule: R): Extract<GroupState, { rule: R }> {
  if (gs.rule !== rule) throw new Error(`a group of the ${gs.rule} rule, not of the ${rule} rule`);
  return gs as Extract<GroupState, { rule: R }>;
}
