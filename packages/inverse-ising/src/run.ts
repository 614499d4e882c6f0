// One inverse-Ising run as the CLI sees it: read samples from a .npy file or sample a model with
// known couplings, recover the couplings, and compare with the truth when there is one.
import { stat } from "node:fs/promises";
import {
  defineModel,
  latticeSiteCount,
  type Model,
  PhysmlInputError,
  plural,
  readModelFile,
  refuseAboveMemoryLimit,
  STANDARD_SQUARE_SHAPES,
  TERM_NAMES,
  type TermName,
} from "@physml/lattice-core";
import { type InverseConfig, type InverseConfigInput, resolveInverseConfig } from "./config.js";
import { sampleModel } from "./data/sample-model.js";
import { readSamples, type Samples } from "./data/samples.js";
import { type InverseIsingResult, inverseIsing } from "./fit/inverse-ising.js";
import { estimateFileMemory, estimateSamplingMemory } from "./memory.js";

/** One recovered coupling with the truth when the samples were made here. */
export interface RecoveredTerm {
  name: string;
  value: number;
  error: number;
  /** The coupling the samples were drawn with (absent for samples read from a file). */
  truth?: number;
  /** (value − truth)/error (absent without a truth). */
  pull?: number;
  /** |value − truth|/|truth| (absent without a truth or when the truth is 0). */
  relativeError?: number;
}

/** Result of {@link runInverseIsing}: only finite numbers (JSON-safe, no null). */
export interface InverseRunResult extends Omit<InverseIsingResult, "terms" | "seconds"> {
  source: "file" | "sampler";
  samplesPath?: string;
  lattice: Model["lattice"];
  terms: RecoveredTerm[];
  sampling?: {
    chains: number;
    samplesPerChain: number;
    warmupSweeps: number;
    every: number;
    seed: number;
    backend: string;
    seconds: number;
  };
  fitSeconds: number;
  seconds: number;
}

function squareModel(L: number, names: readonly TermName[], c: Partial<Record<TermName, number>>): Model {
  return defineModel({
    spin: "ising",
    lattice: { square: [L, L] },
    terms: names.map((name) => ({ name, coupling: c[name] ?? 0, shapes: STANDARD_SQUARE_SHAPES[name] })),
  });
}

/** The size of the samples file; a path that cannot be read is an error of `samples`. */
async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    throw new PhysmlInputError("samples", "a readable .npy file", path, (e as NodeJS.ErrnoException).code);
  }
}

/** Reads or samples, fits, compares. Throws a PhysmlInputError naming the bad field. */
export async function runInverseIsing(input: InverseConfigInput): Promise<InverseRunResult> {
  const t0 = performance.now();
  const c: InverseConfig = resolveInverseConfig(input);
  const names = c.terms === "all" ? TERM_NAMES : c.terms;
  const given = c.model !== undefined ? await readModelFile(c.model, "model") : undefined;
  const fitModel = given ?? squareModel(c.L, names, {});
  let samples: Samples;
  let truth: Map<string, number> | undefined;
  let sampling: InverseRunResult["sampling"];
  if (c.samples !== undefined) {
    refuseAboveMemoryLimit(estimateFileMemory(await fileSize(c.samples)), c.maxMemory, {
      field: "samples",
      received: c.samples,
      what: "reading this file",
      advice: "use a smaller samples file",
    });
    samples = await readSamples(fitModel, c.samples);
  } else {
    const truthModel =
      given ??
      squareModel(c.L, ["nn", "nnn", "plaquette"], { nn: c.beta ?? 0, nnn: c.nnn, plaquette: c.plaquette });
    truth = new Map(truthModel.terms.map((t) => [t.name, t.coupling]));
    const perChain = Math.ceil(c.samplesCount / c.chains);
    const sites = latticeSiteCount(truthModel.lattice);
    refuseAboveMemoryLimit(
      estimateSamplingMemory(truthModel, { chains: c.chains, samplesPerChain: perChain }),
      c.maxMemory,
      {
        field: "samplesCount",
        received: c.samplesCount,
        what: `${plural(c.chains * perChain, "configuration")} of ${sites} sites`,
        advice: "lower --samples-count or the lattice",
      },
    );
    const d = await sampleModel(truthModel, {
      chains: c.chains,
      samplesPerChain: perChain,
      warmupSweeps: c.warmupSweeps,
      every: c.every,
      seed: c.seed,
      ...(c.backend ? { backend: c.backend } : {}),
    });
    samples = d;
    sampling = {
      chains: d.chains,
      samplesPerChain: d.samplesPerChain,
      warmupSweeps: c.warmupSweeps,
      every: c.every,
      seed: c.seed,
      backend: d.backend,
      seconds: d.seconds,
    };
  }
  if (c.blocks > samples.count) {
    throw new PhysmlInputError("blocks", `at most the number of samples (${samples.count})`, c.blocks);
  }
  const r = inverseIsing(fitModel, samples, { blocks: c.blocks });
  const terms = r.terms.map((t): RecoveredTerm => {
    const out: RecoveredTerm = { name: t.name, value: t.value, error: t.error };
    const tr = truth ? (truth.get(t.name) ?? 0) : undefined;
    if (tr === undefined) return out;
    out.truth = tr;
    if (t.error > 0) out.pull = (t.value - tr) / t.error;
    if (tr !== 0) out.relativeError = Math.abs(t.value - tr) / Math.abs(tr);
    return out;
  });
  return {
    source: c.samples !== undefined ? "file" : "sampler",
    ...(c.samples !== undefined ? { samplesPath: c.samples } : {}),
    lattice: fitModel.lattice,
    terms,
    iterations: r.iterations,
    converged: r.converged,
    gradientNorm: r.gradientNorm,
    logPseudoLikelihood: r.logPseudoLikelihood,
    samples: r.samples,
    sites: r.sites,
    blocks: r.blocks,
    patterns: r.patterns,
    ...(sampling ? { sampling } : {}),
    fitSeconds: r.seconds,
    seconds: (performance.now() - t0) / 1000,
  };
}
