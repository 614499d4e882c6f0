// Replica exchange (parallel tempering) for any model description, whatever makes its samplers
// (./tempering.ts: createModelSampler; ./gpu-tempering.ts: a caller's WebGPU device). One
// ModelSampler per coupling slot; what moves is the assignment of slots to samplers
// (`setCouplings`), never the spins, so it works on every backend and spin type without touching
// the update rules.
//
// Event e proposes swapping the slots of the samplers holding slots (s, s+1) for every
// s ≡ e mod 2, and accepts with probability min(1, exp(E_s(x) + E_{s+1}(y) − E_s(y) − E_{s+1}(x)))
// where x is the configuration at slot s and y the one at s+1. Each sampler's chains form one
// replica (their product distribution), so the energies are summed over its chains; with one
// chain per sampler this is the textbook move. Energies come from the term sums measured at the
// event, in Float64, so both backends decide identically.

import {
  checkInt,
  defineModel,
  energyFromTermSums,
  MAX_SEED,
  type Model,
  type ModelInput,
  modelTables,
  PhysmlInputError,
  withCouplings,
} from "@physml/lattice-core";
import { philox4x32, philoxKey } from "../rng/philox.js";
import { measureLayout } from "./measure.js";
import { ModelMeasurements } from "./measurements.js";
import type { ModelSampler } from "./model-sampler.js";
import type { GpuModelSamplerOptions } from "./options.js";

/** Philox word-2 tag of the exchange coins (apart from every sampler stream). */
const EXCHANGE_WORD2 = 0xfffffffd;
/** Most slots of one tempering ladder. */
export const MAX_TEMPERING_SLOTS = 256;

/** Options of `createGpuModelTempering`: those of `createModelTempering` without `backend`. */
export interface GpuModelTemperingOptions {
  /** The model; its couplings are replaced slot by slot. */
  model: Model | ModelInput;
  /**
   * Couplings of each slot (term order), e.g. {@link betaLadder}. Every slot keeps the model's
   * pattern of zero couplings (a term off in the model stays off).
   */
  slots: readonly (readonly number[])[];
  /** Chains per slot (default 1: one configuration per temperature, the usual ladder). */
  chains?: number;
  /** Integer in [0, 2^53): every sampler's seed and the exchange coins derive from it. */
  seed: number;
  init?: "cold" | "hot";
  /** O(n): over-relaxation sweeps after each Metropolis sweep (default 1). */
  overrelaxation?: number;
}

/** Couplings of `model` scaled by each β: the usual temperature ladder. */
export function betaLadder(model: Model | ModelInput, betas: readonly number[]): number[][] {
  const m = defineModel(model);
  return betas.map((b, i) => {
    if (typeof b !== "number" || !Number.isFinite(b))
      throw new PhysmlInputError(`betas[${i}]`, "a finite number", b);
    return m.terms.map((t) => b * t.coupling);
  });
}

/** Result of {@link ModelTempering.run}: measurements per slot and the exchange statistics. */
export interface TemperingRun {
  /** Measurements per slot (slot order), each with the slot's couplings as its model. */
  slots: ModelMeasurements[];
  /** Proposals and acceptances of each slot pair (s, s+1) in this run. */
  proposed: Float64Array;
  accepted: Float64Array;
}

/** A ladder of model samplers with replica exchange (`createModelTempering`, `createGpuModelTempering`). */
export class ModelTempering {
  /** `samplerOfSlot[s]`: the sampler currently holding slot s's couplings. */
  readonly samplerOfSlot: Int32Array;
  /** Exchange events so far. */
  events = 0;
  private readonly k0: number;
  private readonly k1: number;

  /** @internal */
  constructor(
    /** One model per slot (the slot's couplings). */
    readonly slotModels: readonly Model[],
    readonly samplers: readonly ModelSampler[],
    seed: number,
  ) {
    this.samplerOfSlot = Int32Array.from(samplers, (_, s) => s);
    [this.k0, this.k1] = philoxKey(seed);
  }

  get slots(): number {
    return this.slotModels.length;
  }

  /** Sweeps every sampler at its current slot without exchanges (O(n) widths adapt here). */
  async thermalize(sweeps: number): Promise<void> {
    checkInt("sweeps", sweeps, 0, 2 ** 32 - 1);
    for (const s of this.samplers) await s.sweep(sweeps);
  }

  /**
   * `samples` rounds of `every` sweeps per sampler; after each round every sampler's state is
   * measured and filed under its current slot, then one exchange event runs.
   */
  async run(opts: { samples: number; every?: number }): Promise<TemperingRun> {
    const samples = checkInt("samples", opts.samples, 1, 2 ** 24);
    const every = checkInt("every", opts.every ?? 1, 1, 2 ** 20);
    const R = this.slots;
    const lay = measureLayout(this.slotModels[0]);
    const N = modelTables(this.slotModels[0]).lattice.nSites;
    const chains = this.samplers[0].chains;
    const rows = this.slotModels.map(() => new Float64Array(chains * samples * lay.width));
    const proposed = new Float64Array(Math.max(0, R - 1));
    const accepted = new Float64Array(Math.max(0, R - 1));
    // Σ over a sampler's chains of the term sums at this round, per sampler.
    const sums = this.samplers.map(() => new Float64Array(this.slotModels[0].terms.length));
    for (let t = 0; t < samples; t++) {
      for (let s = 0; s < R; s++) {
        const r = this.samplerOfSlot[s];
        const m = await this.samplers[r].measure({ sweeps: every, every });
        sums[r].fill(0);
        for (let c = 0; c < chains; c++) {
          const from = c * lay.width; // one sample per chain
          rows[s].set(m.rows.subarray(from, from + lay.width), (c * samples + t) * lay.width);
          for (let k = 0; k < sums[r].length; k++) sums[r][k] += m.rows[from + k];
        }
      }
      this.exchange(sums, proposed, accepted);
    }
    return {
      slots: this.slotModels.map((model, s) => new ModelMeasurements(model, chains, samples, N, rows[s])),
      proposed,
      accepted,
    };
  }

  /** One exchange event from the summed term sums of every sampler. */
  private exchange(sums: readonly Float64Array[], proposed: Float64Array, accepted: Float64Array): void {
    const e = this.events >>> 0;
    const w = new Uint32Array(4);
    const swapped: number[] = [];
    for (let s = e & 1; s + 1 < this.slots; s += 2) {
      const a = this.samplerOfSlot[s];
      const b = this.samplerOfSlot[s + 1];
      const ma = this.slotModels[s];
      const mb = this.slotModels[s + 1];
      const logRatio =
        energyFromTermSums(ma, sums[a]) +
        energyFromTermSums(mb, sums[b]) -
        energyFromTermSums(ma, sums[b]) -
        energyFromTermSums(mb, sums[a]);
      philox4x32(this.k0, this.k1, s, e, EXCHANGE_WORD2, 0, w);
      proposed[s]++;
      if (w[0] / 4294967296 < Math.exp(logRatio)) {
        accepted[s]++;
        this.samplerOfSlot[s] = b;
        this.samplerOfSlot[s + 1] = a;
        swapped.push(s);
      }
    }
    for (const s of swapped) {
      this.samplers[this.samplerOfSlot[s]].setCouplings(couplingsOf(this.slotModels[s]));
      this.samplers[this.samplerOfSlot[s + 1]].setCouplings(couplingsOf(this.slotModels[s + 1]));
    }
    this.events++;
  }

  async dispose(): Promise<void> {
    for (const s of this.samplers) await s.dispose();
  }
}

const couplingsOf = (m: Model): number[] => m.terms.map((t) => t.coupling);

/** Seed of slot r's sampler: a Philox word pair of (seed, r), below 2^53. */
function samplerSeed(k0: number, k1: number, r: number): number {
  const w = new Uint32Array(4);
  philox4x32(k0, k1, r, 0, EXCHANGE_WORD2, 1, w);
  return (w[0] & 0x1fffff) * 4294967296 + w[1];
}

/** Makes the sampler of one slot (its model, chains, seed and rule options). */
export type SlotSamplerFactory = (options: GpuModelSamplerOptions) => Promise<ModelSampler>;

/**
 * Validates the ladder's options and makes one sampler per slot with `makeSampler`, each
 * starting at its own couplings (disposing those made when one fails).
 */
export async function buildModelTempering(
  o: GpuModelTemperingOptions,
  makeSampler: SlotSamplerFactory,
): Promise<ModelTempering> {
  if (o === null || typeof o !== "object")
    throw new PhysmlInputError("options", "an options object", typeof o);
  const model = defineModel(o.model);
  if (!Array.isArray(o.slots) || o.slots.length < 2 || o.slots.length > MAX_TEMPERING_SLOTS)
    throw new PhysmlInputError(
      "slots",
      `2…${MAX_TEMPERING_SLOTS} coupling vectors`,
      o.slots?.length ?? o.slots,
    );
  const seed = checkInt("seed", o.seed, 0, MAX_SEED);
  const chains = checkInt("chains", o.chains ?? 1, 1, 4096);
  const slotModels = o.slots.map((c, s) => {
    if (!Array.isArray(c) || c.length !== model.terms.length)
      throw new PhysmlInputError(`slots[${s}]`, `${model.terms.length} couplings (one per term)`, c);
    c.forEach((v, k) => {
      if ((model.terms[k].coupling === 0) !== (v === 0))
        throw new PhysmlInputError(
          `slots[${s}][${k}]`,
          model.terms[k].coupling === 0
            ? "0 (the term is off in the model)"
            : "non-zero (the term is on in the model)",
          v,
        );
    });
    return withCouplings(model, c);
  });
  const [k0, k1] = philoxKey(seed);
  const samplers: ModelSampler[] = [];
  try {
    for (let r = 0; r < slotModels.length; r++) {
      samplers.push(
        await makeSampler({
          model: slotModels[r],
          chains,
          seed: samplerSeed(k0, k1, r),
          init: o.init,
          overrelaxation: o.overrelaxation,
        }),
      );
    }
  } catch (e) {
    for (const s of samplers) await s.dispose();
    throw e;
  }
  return new ModelTempering(slotModels, samplers, seed);
}
