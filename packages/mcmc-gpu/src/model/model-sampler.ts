// The model sampler handed to callers: sweeps and measurements over a compute side
// (./model-backend.ts). Its own file so the Ising rules' factories (./ising/) build it without
// importing ./sampler.ts, which picks among them.
import { checkInt, type Model, modelTables, PhysmlInputError, withCouplings } from "@physml/lattice-core";
import { measureLayout, measureModel } from "./measure.js";
import { ModelMeasurements } from "./measurements.js";
import type { ModelBackend } from "./model-backend.js";
import type { AdaptiveRule } from "./update-rule.js";

/** Many chains of one model description (create with `createModelSampler`, sampler.ts). */
export class ModelSampler {
  private n = 0;
  private disposed = false;

  /** @internal */
  constructor(
    private current: Model,
    readonly chains: number,
    readonly seed: number,
    private readonly impl: ModelBackend,
    /** The O(n) Metropolis rule (null for Ising), for its widths and acceptance. */
    readonly onRule: AdaptiveRule | null,
    /** Names of the update rules run each sweep. */
    readonly rules: readonly string[],
  ) {}

  get model(): Model {
    return this.current;
  }
  get backend(): "cpu" | "webgpu" {
    return this.impl.name;
  }
  get adapter(): string {
    return this.impl.adapter;
  }
  get sweepCount(): number {
    return this.n;
  }
  /** Colours of the update's colouring. */
  get colours(): number {
    return modelTables(this.current).colouring.colours;
  }

  private live(): void {
    if (this.disposed)
      throw new PhysmlInputError("sampler", "a sampler that has not been disposed", "disposed");
  }

  /** Thermalisation sweeps (O(n) proposal widths adapt during these). */
  async sweep(count: number): Promise<void> {
    this.live();
    checkInt("sweeps", count, 0, 2 ** 32 - 1);
    if (this.onRule) this.onRule.adapting = true;
    await this.impl.sweep(this.n, count);
    this.n = (this.n + count) >>> 0;
  }

  /** Runs `sweeps` sweeps (widths frozen) and measures after every `every`-th. */
  async measure(opts: { sweeps: number; every?: number }): Promise<ModelMeasurements> {
    this.live();
    const sweeps = checkInt("sweeps", opts.sweeps, 1, 2 ** 32 - 1);
    const every = checkInt("every", opts.every ?? 1, 1, sweeps);
    const samples = Math.floor(sweeps / every);
    const lay = measureLayout(this.current);
    const N = modelTables(this.current).lattice.nSites;
    const per = this.current.spin.kind === "ising" ? N : N * this.current.spin.n;
    const rows = new Float64Array(this.chains * samples * lay.width);
    if (this.onRule) {
      this.onRule.adapting = false;
      this.onRule.resetCounts();
    }
    for (let t = 0; t < samples; t++) {
      await this.impl.sweep(this.n, every);
      this.n = (this.n + every) >>> 0;
      const at = (c: number): number => (c * samples + t) * lay.width;
      if (this.impl.eachChain)
        await this.impl.eachChain((s, offset, c) => measureModel(this.current, s, offset, rows, at(c)));
      else {
        const spins = await this.impl.spins();
        for (let c = 0; c < this.chains; c++) measureModel(this.current, spins, c * per, rows, at(c));
      }
    }
    const rest = sweeps - samples * every;
    if (rest > 0) {
      await this.impl.sweep(this.n, rest);
      this.n = (this.n + rest) >>> 0;
    }
    return new ModelMeasurements(this.current, this.chains, samples, N, rows);
  }

  /** New couplings (one per term, term order); terms that were off at creation must stay 0. */
  setCouplings(couplings: ArrayLike<number>): void {
    this.live();
    const next = withCouplings(this.current, couplings);
    this.impl.setModel(next);
    this.current = next;
  }

  /** Current spins of every chain (a copy). */
  async snapshot(): Promise<Int8Array | Float64Array> {
    this.live();
    return (await this.impl.spins()).slice();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.impl.dispose();
  }
}
