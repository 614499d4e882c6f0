// `physml dual`: the Kramers–Wannier dual coupling of the 2d Ising model.
import { BETA_C, dualCoupling, dualOptionsSchema } from "@physml/lattice-core";
import type { CommandBody } from "../command.js";
import { boolFlag, emit } from "../flags.js";
import { configFlags, flagSpecs, optionsFromFlags } from "../schema-flags.js";

const DUAL_FLAGS = configFlags(dualOptionsSchema);

export const dualCommand: CommandBody = {
  options: dualOptionsSchema,
  flags: flagSpecs(DUAL_FLAGS),
  examples: ["physml dual --beta 0.3", "physml dual --beta 0.3 --json"],
  async run(flags, io) {
    const { beta } = optionsFromFlags(dualOptionsSchema, DUAL_FLAGS, flags);
    const dualBeta = dualCoupling(beta);
    const phase = (b: number) => (b < BETA_C ? "disordered" : b > BETA_C ? "ordered" : "critical");
    const result = {
      beta,
      dualBeta,
      betaC: BETA_C,
      sinhProduct: Math.sinh(2 * beta) * Math.sinh(2 * dualBeta),
      phase: phase(beta),
      dualPhase: phase(dualBeta),
    };
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `β = ${beta} (${result.phase})  ↔  β̃ = ${dualBeta.toPrecision(15)} (${result.dualPhase})`,
        `sinh 2β · sinh 2β̃ = ${result.sinhProduct.toPrecision(15)}   β_c = ${BETA_C.toPrecision(15)}`,
      ].join("\n"),
    );
  },
};
