// `physml dual`: the Kramers–Wannier dual coupling of the 2d Ising model.
import { BETA_C, DUAL_BETA_MAX, DUAL_BETA_MIN, dualCoupling } from "@physml/lattice-core";
import type { Command } from "../command.js";
import { boolFlag, emit, FlagError, numberFlag } from "../flags.js";

export const dualCommand: Command = {
  path: ["dual"],
  summary: "Kramers–Wannier dual coupling β̃ = atanh(e^{−2β}) (sinh 2β · sinh 2β̃ = 1)",
  flags: {
    beta: {
      type: "string",
      description: `inverse temperature β in [${DUAL_BETA_MIN}, ${DUAL_BETA_MAX}] (beyond it β̃ or sinh 2β̃ leave the double range)`,
    },
  },
  examples: ["physml dual --beta 0.3", "physml dual --beta 0.3 --json"],
  async run(flags, io) {
    if (flags.beta === undefined)
      throw new FlagError("beta", `a number in [${DUAL_BETA_MIN}, ${DUAL_BETA_MAX}]`, undefined);
    const beta = numberFlag(flags, "beta", Number.NaN, DUAL_BETA_MIN, DUAL_BETA_MAX);
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
