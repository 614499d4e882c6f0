// `physml exact energy` (Kaufman finite torus + Onsager), `physml exact enumerate` (full
// enumeration of small lattices with any nn/plaquette/nnn/field couplings) and `physml exact
// model` (any Ising model description: enumeration or, for chains, the transfer matrix). Both
// enumerating commands run lattice-core's one enumerator and print its moments alike.
import {
  BETA_C,
  couplings,
  type ExactIsingSolution,
  enumerate,
  enumeratedMoments,
  exactEnergyOptionsSchema,
  exactEnumerateOptionsSchema,
  exactIsingSolution,
  exactModelOptionsSchema,
  kaufman,
  MAX_ENUMERATION_SITES,
  MAX_TRANSFER_RANGE,
  type Model,
  type ModelEnumeration,
  modelTables,
  onsagerEnergyPerSite,
  onsagerMagnetization,
  onsagerReducedFreeEnergy,
  PhysmlInputError,
  readModelFile,
  STANDARD_SHAPES,
  squareLattice,
  TERM_NAMES,
} from "@physml/lattice-core";
import type { CommandBody } from "../command.js";
import { boolFlag, emit } from "../flags.js";
import { configFlags, flagError, flagSpecs, optionsFromFlags } from "../schema-flags.js";

const ENERGY_FLAGS = configFlags(exactEnergyOptionsSchema);
const ENUMERATE_FLAGS = configFlags(exactEnumerateOptionsSchema);
const MODEL_FLAGS = configFlags(exactModelOptionsSchema);

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(12));

export const energyCommand: CommandBody = {
  options: exactEnergyOptionsSchema,
  flags: flagSpecs(ENERGY_FLAGS),
  examples: ["physml exact energy --L 16 --beta 0.4", "physml exact energy --L 1024 --beta 0.4406868 --json"],
  async run(flags, io) {
    const { L, Ly = L, beta } = optionsFromFlags(exactEnergyOptionsSchema, ENERGY_FLAGS, flags);
    const k = kaufman(L, Ly, beta);
    const onsager = {
      reducedFreeEnergyPerSite: onsagerReducedFreeEnergy(beta),
      energyPerSite: onsagerEnergyPerSite(beta),
      magnetization: onsagerMagnetization(beta),
    };
    const result = { L, Ly, beta, betaC: BETA_C, kaufman: k, onsager };
    // Below its rounding error the specific heat is 0: say so rather than print 0 as exact.
    const heat =
      k.specificHeatPerSite === 0 && k.specificHeatPerSitePrecision > 0
        ? `0 (< ${k.specificHeatPerSitePrecision.toExponential(1)}, below double precision)`
        : fmt(k.specificHeatPerSite);
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `Ising model, ${L}×${Ly} torus, β = ${beta} (β_c = ${fmt(BETA_C)}); J = 1`,
        "",
        "                                  finite torus (Kaufman)   infinite lattice (Onsager)",
        `  ln Z                            ${fmt(k.lnZ).padEnd(24)} —`,
        `  βf = −ln Z/N                    ${fmt(k.reducedFreeEnergyPerSite).padEnd(24)} ${fmt(onsager.reducedFreeEnergyPerSite)}`,
        `  energy/site ⟨−Σ s_i s_j⟩/N      ${fmt(k.energyPerSite).padEnd(24)} ${fmt(onsager.energyPerSite)}`,
        `  specific heat/site β²Var(Σss)/N ${heat.padEnd(24)} —`,
        `  magnetisation                   ${"—".padEnd(24)} ${fmt(onsager.magnetization)}`,
      ].join("\n"),
    );
  },
};

/** The text lines of ⟨m⁴⟩ and the fluctuations an enumeration gives (both commands print them alike). */
function fluctuationLines(
  r: Pick<ModelEnumeration, "m4" | "specificHeatPerSite" | "susceptibility" | "binderCumulant">,
): string[] {
  return [
    `  ⟨m⁴⟩            ${fmt(r.m4)}`,
    `  C per site      ${fmt(r.specificHeatPerSite)}   (Var(H)/N)`,
    `  χ per site      ${fmt(r.susceptibility)}   (N(⟨m²⟩ − ⟨|m|⟩²))`,
    `  U₄              ${fmt(r.binderCumulant)}   (1 − ⟨m⁴⟩/(3⟨m²⟩²))`,
  ];
}

export const enumerateCommand: CommandBody = {
  options: exactEnumerateOptionsSchema,
  flags: flagSpecs(ENUMERATE_FLAGS),
  examples: [
    "physml exact enumerate --L 4 --beta 0.3",
    "physml exact enumerate --L 4 --beta 0.3 --plaquette 0.1 --json",
  ],
  async run(flags, io) {
    const o = optionsFromFlags(exactEnumerateOptionsSchema, ENUMERATE_FLAGS, flags);
    const { L, Ly = L } = o;
    const c = couplings({ nn: o.beta, plaquette: o.plaquette, nnn: o.nnn, field: o.field });
    const lattice = squareLattice(L, Ly);
    const r = enumerate(lattice, c);
    const features = Object.fromEntries(STANDARD_SHAPES.map((s, a) => [s.name, r.features[a]]));
    const termMeans = Object.fromEntries(TERM_NAMES.map((n, a) => [n, r.termMeans[a]]));
    const result = {
      L,
      Ly,
      couplings: c,
      states: 2 ** lattice.nSites,
      // Z itself leaves the double range long before ln Z does: then only ln Z is given.
      ...(Number.isFinite(r.Z)
        ? { Z: r.Z }
        : { ZUnavailable: `exceeds the double range (ln Z = ${fmt(r.lnZ)}); see lnZ` }),
      lnZ: r.lnZ,
      reducedEnergyPerSite: r.reducedEnergyPerSite,
      ...enumeratedMoments(r),
      termMeans,
      features,
    };
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `Exact enumeration of ${2 ** lattice.nSites} states, ${L}×${Ly} torus, couplings nn=${c.nn} plaquette=${c.plaquette} nnn=${c.nnn} field=${c.field}`,
        "",
        `  Z               ${Number.isFinite(r.Z) ? fmt(r.Z) : "n/a (exceeds the double range; see ln Z)"}`,
        `  ln Z            ${fmt(r.lnZ)}`,
        `  ⟨H⟩/N reduced   ${fmt(r.reducedEnergyPerSite)}`,
        `  ⟨|m|⟩           ${fmt(r.absMagnetization)}`,
        `  ⟨m²⟩            ${fmt(r.m2)}`,
        ...fluctuationLines(r),
        "",
        "  link-shape features ψ_a:",
        ...STANDARD_SHAPES.map((s, a) => `    ${s.name.padEnd(16)} ${fmt(r.features[a])}`),
      ].join("\n"),
    );
  },
};

/** The exact solution of a description: the transfer matrix for chains it fits, else enumeration. */
function solveModel(model: Model, file: string): ExactIsingSolution {
  if (model.spin.kind !== "ising")
    throw new PhysmlInputError(
      "model-file",
      "a description with Ising spins",
      file,
      `O(${model.spin.n}) spins`,
    );
  const r = exactIsingSolution(model);
  if (r === null)
    throw new PhysmlInputError(
      "model-file",
      `at most ${MAX_ENUMERATION_SITES} sites, or a chain whose terms span at most ${MAX_TRANSFER_RANGE} sites`,
      file,
      `${modelTables(model).lattice.nSites} sites`,
    );
  return r;
}

export const modelCommand: CommandBody = {
  options: exactModelOptionsSchema,
  flags: flagSpecs(MODEL_FLAGS),
  examples: [
    "physml exact model --model-file triangle.json",
    "physml exact model --model-file chain5.json --json",
  ],
  async run(flags, io) {
    const { modelFile } = optionsFromFlags(exactModelOptionsSchema, MODEL_FLAGS, flags);
    // Errors about the file or the description in it name --model-file.
    const { model, r } = await readModelFile(modelFile)
      .then((m) => ({ model: m, r: solveModel(m, modelFile) }))
      .catch((e) => {
        throw flagError(e, MODEL_FLAGS, flags);
      });
    const termMeans = Object.fromEntries(model.terms.map((t, k) => [t.name, r.termMeans[k]]));
    const result = { model, ...r, termMeans };
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `Exact ${r.method}, ${r.sites} sites, ${model.terms.map((t) => `${t.name} = ${t.coupling}`).join(", ")}`,
        "",
        `  ln Z            ${fmt(r.lnZ)}`,
        `  ⟨H⟩/N reduced   ${fmt(r.reducedEnergyPerSite)}`,
        ...(r.method === "enumeration"
          ? [
              `  ⟨|m|⟩           ${fmt(r.absMagnetization)}`,
              `  ⟨m²⟩            ${fmt(r.m2)}`,
              ...fluctuationLines(r),
            ]
          : []),
        "",
        "  ⟨S_t⟩ per term (totals over the lattice):",
        ...model.terms.map((t, k) => `    ${t.name.padEnd(16)} ${fmt(r.termMeans[k])}`),
      ].join("\n"),
    );
  },
};
