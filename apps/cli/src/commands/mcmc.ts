// `physml mcmc`: checkerboard Metropolis on many chains (CPU or WebGPU backend), printing the
// energy per site and |m| with autocorrelation-aware errors, the backend/adapter and the speed.
import { backendFromEnvIfSet } from "@physml/gpu-device";
import {
  autocorrelation,
  defineModel,
  estimateChains,
  exactIsingSolution,
  formatBytes,
  heisenbergChainExact,
  isSpinFlipSymmetric,
  KAUFMAN_MAX_BETA,
  kaufman,
  latticeSiteCount,
  type Model,
  type ModelInput,
  type ModelTermInput,
  memoryLimit,
  nearestNeighbourShapes,
  plural,
  readModelFile,
  squareLattice,
  untrustedErrorReason,
  xyChainExact,
} from "@physml/lattice-core";
import {
  createModelSampler,
  createSampler,
  estimateMemory,
  estimateModelMemory,
  isGenericRun,
  type McmcRunOptions,
  type MemoryEstimate,
  mcmcRunOptionsSchema,
  measureLayout,
} from "@physml/mcmc-gpu";
import type { CommandBody, CommandIO } from "../command.js";
import { emit, FlagError } from "../flags.js";
import { configFlags, flagError, flagSpecs, optionsFromFlags } from "../schema-flags.js";
import {
  FLUCTUATION_WORK_SERIES,
  type FluctuationEstimate,
  type Fluctuations,
  fluctuations,
} from "./mcmc-fluctuations.js";

// Every flag (range, default, rule, help text) comes from mcmc-gpu's run-option schema.
const RUN_FLAGS = configFlags(mcmcRunOptionsSchema);

const fmt = (v: number, digits = 6): string => (Number.isInteger(v) ? String(v) : v.toPrecision(digits));

/** One series per chain, each the concatenation of that chain's series over the chunks. */
function perChain<M>(chunks: M[], chains: number, f: (m: M, chain: number) => Float64Array): Float64Array[] {
  return Array.from({ length: chains }, (_, c) => {
    const parts = chunks.map((m) => f(m, c));
    const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  });
}

/**
 * Estimate over chains of per-chain `series` (see {@link perChain}), its autocorrelation summed
 * over at least the slow mode's window (see {@link slowMode}); its error bar is untrusted when the
 * series or the slow mode has too few independent samples.
 */
function pooled(series: Float64Array[], slow: SlowMode): Est {
  const e = estimateChains(series, { minWindow: slow.window });
  const untrusted = untrustedErrorReason(e) ?? slow.unresolved;
  return { mean: e.mean, error: e.error, tauInt: e.tauInt, ...(untrusted ? { untrusted } : {}) };
}

/** Warns on stderr about every estimate whose error bar cannot be trusted. */
function warnUntrusted(io: CommandIO, estimates: Record<string, Est>): void {
  for (const [key, e] of Object.entries(estimates))
    if (e.untrusted)
      io.stderr(`physml mcmc: warning: the error bar of ${key} cannot be trusted: ${e.untrusted}\n`);
}

/** The slowest mode of a run: the window every estimate sums at least, and why it is unresolved. */
interface SlowMode {
  window: number;
  unresolved?: string;
}

/**
 * The slowest mode every estimate of a run is summed over, and whether its error bars can rest
 * on it. When a term is odd under s → −s (a field) the magnetisation enters the energy: its slow
 * relaxation is a long, low tail of the energy's autocorrelation that Sokal's window, sized by
 * the energy's own short τ_int, cuts off (L = 4, β = 0.6, field 0.1: ⟨H⟩/N's τ_int came out 2.1
 * against 35, its error 4× too small). So every estimate then sums at least the magnetisation's
 * own window (the largest over its components, for O(n) spins). With the symmetry, the even
 * observables reported here do not couple to it and their own windows are used. `unresolved`:
 * why the run does not resolve the magnetisation's relaxation, which makes every error bar that
 * rests on it untrustworthy.
 */
function slowMode<M>(
  model: Model,
  chunks: M[],
  chains: number,
  components: number,
  f: (m: M, component: number, chain: number) => Float64Array,
): SlowMode {
  if (isSpinFlipSymmetric(model)) return { window: 0 };
  let window = 0;
  let unresolved: string | undefined;
  for (let a = 0; a < components; a++) {
    const ac = autocorrelation(perChain(chunks, chains, (m, c) => f(m, a, c)));
    window = Math.max(window, ac.window);
    const what =
      `the magnetisation${components > 1 ? ` (component ${a})` : ""}, which a term odd under ` +
      "s → −s couples to every observable,";
    const few = untrustedErrorReason(ac);
    if (!ac.windowFound)
      unresolved ??= `${what} relaxes more slowly than the chains are long (τ_int ${ac.tauInt.toPrecision(3)} samples or more): measure longer`;
    else if (few) unresolved ??= `${what} has ${few}`;
  }
  return { window, ...(unresolved ? { unresolved } : {}) };
}

/**
 * Thermalises, then measures in chunks of whole measurement intervals (identical results to
 * one long run) with progress on stderr; runs the unmeasured tail sweeps. Returns the chunks
 * and the wall time.
 */
async function runSchedule<M>(
  sampler: {
    sweep(n: number): Promise<void>;
    measure(o: { sweeps: number; every: number }): Promise<M>;
  },
  s: { thermalize: number; sweeps: number; every: number },
  io: CommandIO,
): Promise<{ parts: M[]; seconds: number }> {
  const { thermalize, sweeps, every } = s;
  const t0 = performance.now();
  const total = thermalize + sweeps;
  let lastReport = t0;
  const progress = (done: number) => {
    const now = performance.now();
    if (now - lastReport > 2000) {
      lastReport = now;
      io.stderr(`physml mcmc: ${Math.round((100 * done) / total)}% (${done}/${total} sweeps)\n`);
    }
  };
  const chunk = Math.max(every, Math.ceil(Math.max(1, Math.floor(sweeps / every)) / 20) * every);
  for (let done = 0; done < thermalize; ) {
    const n = Math.min(chunk, thermalize - done);
    await sampler.sweep(n);
    done += n;
    progress(done);
  }
  const parts: M[] = [];
  const measured = Math.floor(sweeps / every) * every;
  for (let done = 0; done < measured; ) {
    const n = Math.min(chunk, measured - done);
    parts.push(await sampler.measure({ sweeps: n, every }));
    done += n;
    progress(thermalize + done);
  }
  if (sweeps > measured) await sampler.sweep(sweeps - measured);
  return { parts, seconds: (performance.now() - t0) / 1000 };
}

/** An estimate as printed; `untrusted`: why its error bar cannot be trusted (absent when it can). */
type Est = { mean: number; error: number; tauInt: number; untrusted?: string };

/** The model of `--model/--lattice/--L/--beta/--plaquette/--nnn/--field` (nn coupling β, J = 1). */
function modelFromOptions(o: McmcRunOptions): { model: Model; beta: number } {
  const spin = o.model ?? "ising";
  const lattice = o.lattice ?? "square";
  const L = o.L as number;
  const beta = o.beta as number;
  const terms: ModelTermInput[] = [
    {
      name: "nn",
      coupling: beta,
      shapes: nearestNeighbourShapes(lattice === "chain" ? 1 : lattice === "square" ? 2 : 3),
    },
  ];
  const origin = lattice === "chain" ? [0] : lattice === "square" ? [0, 0] : [0, 0, 0];
  if (o.plaquette)
    terms.push({
      name: "plaquette",
      coupling: o.plaquette,
      sites: [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ],
    });
  if (o.nnn)
    terms.push({
      name: "nnn",
      coupling: o.nnn,
      shapes: [
        [
          [0, 0],
          [1, 1],
        ],
        [
          [0, 0],
          [1, -1],
        ],
      ],
    });
  if (o.field) terms.push({ name: "field", coupling: o.field, sites: [origin] });
  const latticeSpec: ModelInput["lattice"] =
    lattice === "chain" ? { chain: L } : lattice === "square" ? { square: [L, o.Ly ?? L] } : { cubic: L };
  return { model: defineModel({ spin, lattice: latticeSpec, terms }), beta };
}

/**
 * Largest Ising model (sites) whose exact value a run compares against by full enumeration: 2^20
 * states take well under a second, 2^25 several seconds, more than a small run itself.
 */
const MAX_EXACT_ENUMERATION_SITES = 20;

/**
 * The exact values a run is compared with, under the keys of its estimates: `energyPerSite`
 * (−⟨S_nn⟩/N, only with a term named nn), `reducedEnergyPerSite` (⟨H⟩/N of the whole model, every
 * term whatever its name), `absMagnetization` (⟨|M|⟩/N, where enumeration gives it) and the
 * fluctuations of {@link fluctuations}: `specificHeatPerSite` (Kaufman's or enumeration's),
 * `susceptibility` and `binderCumulant` (enumeration's).
 */
interface ExactValues {
  energyPerSite?: number;
  reducedEnergyPerSite?: number;
  absMagnetization?: number;
  specificHeatPerSite?: number;
  susceptibility?: number;
  binderCumulant?: number;
}

/** The exact values enumeration adds beside the energies: |m| and the fluctuations. */
function enumeratedMoments(r: ReturnType<typeof exactIsingSolution>): ExactValues {
  if (r?.method !== "enumeration") return {};
  return {
    absMagnetization: r.absMagnetization,
    specificHeatPerSite: r.specificHeatPerSite,
    susceptibility: r.susceptibility,
    binderCumulant: r.binderCumulant,
  };
}

/** The exact values of a run, or why it has none (a sentence for `exactUnavailable` and the text). */
type Exact = { values: ExactValues } | { unavailable: string };

/**
 * The exact values where a closed form or a cheap exact method applies: the O(n) ring (`beta`,
 * the nn coupling of `--model`), and for any Ising description, a model file or the plain flags'
 * model alike, whatever its terms are named, the transfer matrix on a chain or enumeration up to
 * {@link MAX_EXACT_ENUMERATION_SITES} sites. On a square torus with nn alone Kaufman's closed
 * form gives the nn energy at any size (and ⟨H⟩/N = β·energyPerSite); enumeration, where it
 * applies, adds |m|.
 */
function exactValues(model: Model, beta: number | null): Exact {
  const nn = model.terms.findIndex((t) => t.name === "nn");
  const lat = model.lattice;
  const only = nn >= 0 && model.terms.length === 1;
  const betaInRange = beta !== null && beta >= 0 && beta <= KAUFMAN_MAX_BETA;
  if (model.spin.kind === "on") {
    const closed = "the O(n) closed form is for the nn-only periodic chain";
    if (lat.kind !== "chain" || !only) return { unavailable: `${closed}, not this model` };
    if (beta === null || !betaInRange)
      return { unavailable: `${closed} with 0 ≤ β ≤ ${KAUFMAN_MAX_BETA}, not β = ${beta}` };
    const exact =
      model.spin.n === 2
        ? xyChainExact(beta, lat.L)
        : model.spin.n === 3
          ? heisenbergChainExact(beta, lat.L)
          : null;
    return exact
      ? { values: { energyPerSite: -exact.bond } }
      : { unavailable: `${closed} of XY or Heisenberg spins, not O(${model.spin.n})` };
  }
  const r = exactIsingSolution(model, MAX_EXACT_ENUMERATION_SITES);
  const kaufmanApplies = beta !== null && betaInRange && lat.kind === "square" && only;
  if (kaufmanApplies) {
    const k = kaufman(lat.Lx, lat.Ly, beta);
    return {
      values: {
        energyPerSite: k.energyPerSite,
        reducedEnergyPerSite: beta * k.energyPerSite,
        ...enumeratedMoments(r),
        specificHeatPerSite: k.specificHeatPerSite,
      },
    };
  }
  if (r === null) {
    const why = `${latticeSiteCount(model.lattice)} sites > ${MAX_EXACT_ENUMERATION_SITES} for enumeration`;
    const kaufmanWhy =
      lat.kind === "square" && only
        ? `; Kaufman's torus needs 0 ≤ β ≤ ${KAUFMAN_MAX_BETA}, not β = ${beta}`
        : lat.kind === "square"
          ? "; no closed form with terms other than nn"
          : "";
    return { unavailable: why + kaufmanWhy };
  }
  return {
    values: {
      ...(nn >= 0 ? { energyPerSite: -r.termMeans[nn] / r.sites } : {}),
      reducedEnergyPerSite: r.reducedEnergyPerSite,
      ...enumeratedMoments(r),
    },
  };
}

/**
 * Series-sized arrays (one Float64 per sample and chain) a run holds beside its measurements at
 * its peak: each series its estimates are built from, twice (`perChain` gathers it chunk by
 * chunk, then concatenates), and the fluctuation pass's work buffers. The memory estimate counts
 * these, so it stays the sizes this file allocates.
 */
const seriesHeld = (estimated: number): number => 2 * estimated + FLUCTUATION_WORK_SERIES;

/** The memory limit in bytes and how it was set (for the refusal message). */
function limitOf(o: McmcRunOptions): { bytes: number; source: string } {
  const source = o.maxMemory === undefined ? "80% of the free memory; --max-memory" : "--max-memory";
  return { bytes: memoryLimit(o.maxMemory), source };
}

/**
 * Refuses, before anything is allocated, a run estimated above the memory limit: the error names
 * the flag that sizes the largest part (lattice tables, spins, measurements) and every part.
 */
function refuseAboveLimit(
  memory: MemoryEstimate,
  o: McmcRunOptions,
  sizedBy: Record<"lattice" | "spins" | "measurements", [flag: string, value: unknown]>,
): void {
  const limit = limitOf(o);
  if (memory.total <= limit.bytes) return;
  const { lattice: lat, spins: sp, measurements: ms } = memory.parts;
  const largest = lat >= sp && lat >= ms ? "lattice" : sp >= ms ? "spins" : "measurements";
  const [flag, value] = sizedBy[largest];
  throw new FlagError(
    flag,
    `a run that fits in the memory limit of ${formatBytes(limit.bytes)} (${limit.source}): ` +
      `this one needs ≈ ${formatBytes(memory.total)} (lattice tables ${formatBytes(lat)}, spins ${formatBytes(sp)}, ` +
      `measurements ${formatBytes(ms)})`,
    String(value),
  );
}

/** The JSON result of a run (see {@link mcmcResult}). */
interface McmcJson extends Record<string, unknown> {
  exact?: ExactValues;
  /** Why there is no `exact` (present exactly when `exact` is absent). */
  exactUnavailable?: string;
  backend: string;
  adapter: string;
  kernel: string;
  colours: number;
  seconds: number;
  flipsPerNs?: number;
}

/** What both samplers report about themselves. */
interface SamplerReport {
  backend: string;
  adapter: string;
  kernel: string;
  colours: number;
  extra?: Record<string, unknown>;
}

/**
 * The JSON result of one run, for both samplers: what was sampled (`head`), the schedule, the
 * estimates, the exact value where one exists, the sampler and the speed. Every number is
 * finite: an unavailable exact value or speed is left out with the reason, never null.
 */
function mcmcResult(
  head: Record<string, unknown>,
  o: McmcRunOptions,
  samplesPerChain: number,
  estimates: Record<string, Est>,
  fluct: Fluctuations,
  exact: Exact,
  sampler: SamplerReport,
  updates: number,
  seconds: number,
): McmcJson {
  const speed = updates / (seconds * 1e9);
  return {
    ...head,
    chains: o.chains,
    sweeps: o.sweeps,
    thermalize: o.thermalize,
    every: o.every,
    seed: o.seed,
    samplesPerChain,
    ...estimates,
    ...fluct.estimates,
    ...fluct.unavailable,
    ...("values" in exact
      ? Object.values(exact.values).every(Number.isFinite)
        ? { exact: exact.values }
        : { exactUnavailable: "the exact value leaves the double range" }
      : { exactUnavailable: exact.unavailable }),
    backend: sampler.backend,
    adapter: sampler.adapter,
    kernel: sampler.kernel,
    colours: sampler.colours,
    ...sampler.extra,
    seconds,
    ...(Number.isFinite(speed)
      ? { flipsPerNs: speed }
      : { flipsPerNsUnavailable: "the run took no measurable time" }),
  };
}

/** The text line of an exact value under its estimate (none without one). */
const exactLine = (v: number | undefined): string[] =>
  v === undefined ? [] : [`    exact${" ".repeat(24)}${fmt(v, 8)}`];

/** The text line saying why a run has no exact value to compare with (none when it has one). */
const noExactLine = (r: McmcJson): string[] =>
  typeof r.exactUnavailable === "string" ? ["", `  no exact value: ${r.exactUnavailable}`] : [];

const est = (e: Est) => `${fmt(e.mean, 8)} ± ${fmt(e.error, 2)}  (τ_int ${fmt(e.tauInt, 3)} samples)`;

/** Text labels of the fluctuation estimates, in the order they are printed. */
const FLUCTUATION_LABELS = {
  specificHeatPerSite: "C = N(⟨e²⟩ − ⟨e⟩²), e = H/N",
  susceptibility: "χ = N(⟨m²⟩ − ⟨|m|⟩²)",
  binderCumulant: "U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²)",
} as const;

/** The text lines of the fluctuations: each estimate and its exact value, or n/a and why. */
function fluctuationLines(f: Fluctuations, exact: ExactValues | undefined): string[] {
  return Object.entries(FLUCTUATION_LABELS).flatMap(([key, label]) => {
    const k = key as keyof typeof FLUCTUATION_LABELS;
    const e: FluctuationEstimate | undefined = f.estimates[k];
    if (e === undefined) return [`  ${label.padEnd(31)}n/a: ${f.unavailable[`${k}Unavailable`]}`];
    const blocks = `(jackknife, ${e.nBlocks} blocks of ${plural(e.blockSize, "sample")})`;
    return [
      `  ${label.padEnd(31)}${fmt(e.mean, 8)} ± ${fmt(e.error, 2)}  ${blocks}`,
      ...exactLine(exact?.[k]),
    ];
  });
}

/** The human summary's closing lines: sampler and speed. */
function speedLines(r: McmcJson, what: string, unit: string): string[] {
  return [
    "",
    `  backend ${r.backend} (${what}, ${r.colours} colours) on ${r.adapter}`,
    `  ${r.flipsPerNs === undefined ? "n/a" : fmt(r.flipsPerNs, 3)} ${unit}/ns (${fmt(r.seconds, 3)} s)`,
  ];
}

/** `physml mcmc` with --model/--lattice/--model-file: the generic sampler of @physml/mcmc-gpu. */
async function runModel(o: McmcRunOptions, json: boolean, io: CommandIO): Promise<void> {
  let model: Model;
  let beta: number | null = null;
  if (o.modelFile !== undefined) model = await readModelFile(o.modelFile);
  else ({ model, beta } = modelFromOptions(o));
  const samples = Math.floor(o.sweeps / o.every);
  const on = model.spin.kind === "on";
  const layout = measureLayout(model);
  // The estimates' series, as built below: energy (with an nn term), ⟨H⟩/N, |m|, βΥ, vortices.
  const estimated =
    (model.terms.some((t) => t.name === "nn") ? 1 : 0) + 2 + (on ? 1 : 0) + (layout.vortices >= 0 ? 1 : 0);
  const memory = estimateModelMemory(model, { chains: o.chains, samples, series: seriesHeld(estimated) });
  refuseAboveLimit(memory, o, {
    lattice: o.modelFile !== undefined ? ["model-file", o.modelFile] : ["L", o.L],
    spins: ["chains", o.chains],
    measurements: ["sweeps", o.sweeps],
  });
  if (!json && memory.total > 2 ** 30)
    io.stderr(
      `physml mcmc: setting up ${plural(o.chains, "chain")} of ${JSON.stringify(model.lattice)} (≈ ${formatBytes(memory.total)})…\n`,
    );
  const sampler = await createModelSampler({
    model,
    chains: o.chains,
    seed: o.seed,
    backend: o.backend ?? "cpu",
    init: o.init,
    ...(o.kernel !== undefined ? { kernel: o.kernel } : {}),
    overrelaxation: o.overrelaxation,
    workers: o.workers,
    maxMemory: memoryLimit(o.maxMemory),
  });
  try {
    const N = latticeSiteCount(model.lattice);
    const { parts, seconds } = await runSchedule(sampler, o, io);
    const nnIndex = model.terms.findIndex((t) => t.name === "nn");
    const lay = parts[0].layout;
    const c = o.chains;
    const slow = slowMode(model, parts, c, lay.components, (m, a, k) => m.magnetizationComponent(a, k));
    const series = (f: (m: (typeof parts)[number], chain: number) => Float64Array) => perChain(parts, c, f);
    // built once: the estimates and the fluctuations read the same series
    const reduced = series((m, k) => m.reducedEnergyPerSite(k));
    const absM = series((m, k) => m.magnetizationPerSite(k));
    const e: Record<string, Est> = {
      ...(nnIndex >= 0
        ? {
            energyPerSite: pooled(
              series((m, k) => m.term(nnIndex, k).map((v) => -v / N)),
              slow,
            ),
          }
        : {}),
      reducedEnergyPerSite: pooled(reduced, slow),
      absMagnetization: pooled(absM, slow),
      ...(on
        ? {
            helicityModulus: pooled(
              series((m, k) => m.helicityModulus(k)),
              slow,
            ),
          }
        : {}),
      ...(lay.vortices >= 0
        ? {
            vortexDensity: pooled(
              series((m, k) => m.vortexDensity(k)),
              slow,
            ),
          }
        : {}),
    };
    const fl = fluctuations({
      sites: N,
      reducedEnergy: reduced,
      absMagnetization: absM,
      ising: !on,
      minWindow: slow.window,
      ...(slow.unresolved ? { unresolved: slow.unresolved } : {}),
    });
    warnUntrusted(io, { ...e, ...fl.estimates });
    const result = mcmcResult(
      // The validated description, the same object `exact model` prints under `model`.
      { model },
      o,
      parts.reduce((a, m) => a + m.samples, 0),
      e,
      fl,
      exactValues(model, beta),
      {
        backend: sampler.backend,
        adapter: sampler.adapter,
        kernel: sampler.rules.join("+"),
        colours: sampler.colours,
        ...(sampler.onRule
          ? { extra: { proposalWidth: Array.from(sampler.onRule.widths.slice(0, 4)) } }
          : {}),
      },
      c * N * (o.thermalize + o.sweeps),
      seconds,
    );
    const spin = model.spin.kind === "ising" ? "ising" : `on(${model.spin.n})`;
    const line = (label: string, e: Est | undefined) => (e ? [`  ${label.padEnd(31)}${est(e)}`] : []);
    emit(io, json, result, () =>
      [
        `${spin} model on ${JSON.stringify(model.lattice)}, terms ${model.terms.map((t) => `${t.name} ${t.coupling}`).join(", ")}`,
        `${plural(c, "chain")} × ${plural(o.sweeps, "sweep")} (measured every ${o.every}) after ${o.thermalize}; seed ${o.seed}`,
        "",
        ...line("energy / site ⟨−S_nn⟩/N", e.energyPerSite),
        ...exactLine(result.exact?.energyPerSite),
        ...line("⟨H⟩/N (reduced, all couplings)", e.reducedEnergyPerSite),
        ...exactLine(result.exact?.reducedEnergyPerSite),
        ...line("|m|", e.absMagnetization),
        ...exactLine(result.exact?.absMagnetization),
        ...line("βΥ (helicity modulus, x)", e.helicityModulus),
        ...line("vortex density", e.vortexDensity),
        ...fluctuationLines(fl, result.exact),
        ...noExactLine(result),
        ...speedLines(result, result.kernel, "site updates"),
      ].join("\n"),
    );
  } finally {
    await sampler.dispose();
  }
}

/** `physml mcmc` on the square Ising fast path (packed or int kernel, CPU or WebGPU). */
async function runSquare(o: McmcRunOptions, json: boolean, io: CommandIO): Promise<void> {
  const L = o.L as number;
  const Ly = o.Ly ?? L;
  const beta = o.beta as number;
  const { plaquette = 0, nnn = 0, field = 0, chains } = o;
  const kernel = o.kernel ?? "auto";
  const backend = o.backend ?? backendFromEnvIfSet() ?? "auto";
  const nnOnly = plaquette === 0 && nnn === 0 && field === 0;
  // Memory is checked before anything is allocated: a run that does not fit is refused here
  // rather than killed by the kernel or left swapping through its set-up.
  const memory = estimateMemory({
    sites: L * Ly,
    chains,
    kernel: kernel === "int" || (kernel === "auto" && !nnOnly) ? "int" : "packed",
    samples: Math.floor(o.sweeps / o.every),
    // energy, ⟨H⟩/N and |m| (see the estimates below)
    series: seriesHeld(3),
  });
  refuseAboveLimit(memory, o, {
    lattice: ["L", L],
    spins: ["chains", chains],
    measurements: ["sweeps", o.sweeps],
  });
  if (!json && memory.total > 2 ** 30)
    io.stderr(
      `physml mcmc: setting up ${plural(chains, "chain")} of ${L}×${Ly} (≈ ${formatBytes(memory.total)})…\n`,
    );

  const lattice = squareLattice(L, Ly);
  const sampler = await createSampler({
    lattice,
    couplings: { nn: beta, plaquette, nnn, field },
    chains,
    seed: o.seed,
    backend,
    kernel,
    init: o.init,
    ...(o.workers === undefined ? {} : { workers: o.workers }),
  });
  try {
    const N = lattice.nSites;
    const { parts, seconds } = await runSchedule(sampler, o, io);
    // The flags describe a model: its exact values come from the one function every run uses.
    const { model } = modelFromOptions(o);
    const slow = slowMode(model, parts, chains, 1, (m, _a, c) => m.magnetizationPerSite(c));
    // built once: the estimates and the fluctuations read the same series
    const reduced = perChain(parts, chains, (m, c) => m.reducedEnergyPerSite(c));
    const absM = perChain(parts, chains, (m, c) => m.absMagnetizationPerSite(c));
    const e = {
      energyPerSite: pooled(
        perChain(parts, chains, (m, c) => m.nnEnergyPerSite(c)),
        slow,
      ),
      reducedEnergyPerSite: pooled(reduced, slow),
      absMagnetization: pooled(absM, slow),
    };
    const fl = fluctuations({
      sites: N,
      reducedEnergy: reduced,
      absMagnetization: absM,
      ising: true,
      minWindow: slow.window,
      ...(slow.unresolved ? { unresolved: slow.unresolved } : {}),
    });
    warnUntrusted(io, { ...e, ...fl.estimates });
    const result = mcmcResult(
      { L, Ly, couplings: { nn: beta, plaquette, nnn, field } },
      o,
      parts.reduce((a, m) => a + m.samples, 0),
      e,
      fl,
      exactValues(model, beta),
      {
        backend: sampler.backend,
        adapter: sampler.adapter,
        kernel: sampler.kernel,
        colours: sampler.colours,
      },
      chains * N * (o.thermalize + o.sweeps),
      seconds,
    );
    emit(io, json, result, () =>
      [
        `Ising Metropolis, ${L}×${Ly} torus, nn ${beta}${nnOnly ? "" : `, plaquette ${plaquette}, nnn ${nnn}, field ${field}`}`,
        `${plural(chains, "chain")} × ${plural(o.sweeps, "sweep")} (measured every ${o.every}) after ${o.thermalize}; seed ${o.seed}`,
        "",
        `  energy / site ⟨−Σ s_i s_j⟩/N   ${est(e.energyPerSite)}`,
        ...exactLine(result.exact?.energyPerSite),
        ...(nnOnly
          ? []
          : [
              `  ⟨H⟩/N (reduced, all couplings) ${est(e.reducedEnergyPerSite)}`,
              ...exactLine(result.exact?.reducedEnergyPerSite),
            ]),
        `  |m|                           ${est(e.absMagnetization)}`,
        ...exactLine(result.exact?.absMagnetization),
        ...fluctuationLines(fl, result.exact),
        ...noExactLine(result),
        ...speedLines(result, `${sampler.kernel} kernel`, "attempted flips"),
      ].join("\n"),
    );
  } finally {
    await sampler.dispose();
  }
}

export const mcmcCommand: CommandBody = {
  options: mcmcRunOptionsSchema,
  flags: flagSpecs(RUN_FLAGS),
  examples: [
    "physml mcmc --L 64 --beta 0.44 --chains 16 --sweeps 10000",
    "physml mcmc --model xy --lattice chain --L 256 --beta 1.5 --json",
    "physml mcmc --model-file triangle.json --chains 8 --sweeps 5000",
    "physml mcmc --L 32 --beta 0.3 --plaquette 0.1 --backend cpu --json",
  ],
  async run(flags, io) {
    const o = optionsFromFlags(mcmcRunOptionsSchema, RUN_FLAGS, flags);
    const json = flags.json === true;
    // Errors about the model file (unreadable, a bad field inside it) name --model-file.
    if (isGenericRun(o))
      await runModel(o, json, io).catch((e) => {
        throw flagError(e, RUN_FLAGS, flags);
      });
    else await runSquare(o, json, io);
  },
};
