// The configurations of the three dual-representation tasks: one zod schema each, whose fields
// marked `.meta({ flag, … })` become the CLI's flags, ranges and help.
import { maxMemoryOption, parseOptions, seedOption } from "@physml/lattice-core";
import { z } from "zod";
import { DECODER_KINDS, ENCODER_KINDS } from "./chain/autoencoder.js";
import { CORRELATION_FUNCTIONS, CORRELATION_READOUTS } from "./chain/correlation-loss.js";
import { MAP_KINDS } from "./fourier/map-shapes.js";
import { PEAK_FEATURES } from "./fourier/peak-score.js";
import { SHARED_INPUTS } from "./fourier/shared-head.js";
import { LR_SCHEDULES } from "./train/fit.js";

const num = (min: number, max: number) => z.number().finite().min(min).max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** Shared training fields (Adam on minibatches, seeded). */
const training = {
  epochs: int(1, 10_000).default(30).meta({ flag: "epochs", description: "training epochs per network" }),
  batch: int(1, 65_536).default(64).meta({ flag: "batch", description: "minibatch size" }),
  lr: num(1e-6, 1).default(3e-3).meta({ flag: "lr", description: "Adam learning rate" }),
  lrSchedule: z.enum(LR_SCHEDULES).default("constant").meta({
    flag: "lr-schedule",
    description:
      "learning rate over each training: constant, or cosine from --lr down to 0 over its Adam steps",
  }),
  trainFraction: num(0.05, 0.95)
    .default(0.8)
    .meta({ flag: "train-fraction", description: "share of the examples used for training (rest: test)" }),
  seed: seedOption(1, "random seed"),
  maxMemory: maxMemoryOption,
};

/** The learned linear front end's loss weights (fourier/front-end.ts). */
const learnedMap = {
  separationWeight: num(0, 1000)
    .default(1)
    .meta({ flag: "separation-weight", description: "weight of the feature-separation loss" }),
  orthogonalityWeight: num(0, 1000)
    .default(30)
    .meta({ flag: "orthogonality-weight", description: "weight keeping the learned map orthogonal" }),
};

const chainSchema = z
  .object({
    sites: int(4, 64).default(18).meta({
      flag: "sites",
      description: "chain length (≤ 22: every state enumerated; above: quench-sampled data)",
    }),
    n: z
      .array(int(2, 12))
      .min(1)
      .max(11)
      .refine((l) => new Set(l).size === l.length, "distinct")
      .default([4, 6, 8, 10, 12])
      .meta({
        flag: "n",
        description: "interaction orders n (H = −J Σ Π_{l<n} s_{k+l}), comma-separated",
      }),
    J: num(-3, 3)
      .refine((v) => v !== 0, "nonzero")
      .default(1)
      .meta({ flag: "J", description: "coupling J (stability labels depend only on its sign)" }),
    perClass: int(16, 1 << 20)
      .default(4096)
      .meta({ flag: "per-class", description: "examples per class at most (balanced data)" }),
    hidden: int(1, 1024)
      .default(32)
      .meta({ flag: "hidden", description: "hidden units of the simple classifier (per hidden layer)" }),
    depth: int(1, 8).default(1).meta({
      flag: "depth",
      description: "hidden layers of the classifier on spins and on σ, each of --hidden tanh units",
    }),
    autoencoderRuns: int(0, 100)
      .default(0)
      .meta({ flag: "autoencoder-runs", description: "task-constrained autoencoder runs per n (0: none)" }),
    latent: int(1, 256)
      .optional()
      .meta({ flag: "latent", description: "autoencoder latent dimension", defaultText: "the chain length" }),
    width: int(1, 1024)
      .default(128)
      .meta({ flag: "width", description: "autoencoder hidden layer width (of a dense encoder or decoder)" }),
    encoder: z.enum(ENCODER_KINDS).default("dense").meta({
      flag: "encoder",
      description:
        "autoencoder encoder: dense [sites, width, latent] or conv (circular conv1d of width --kernel, --channels tanh channels, 1×1 conv to one latent unit per site)",
    }),
    decoder: z.enum(DECODER_KINDS).default("dense").meta({
      flag: "decoder",
      description:
        "autoencoder decoder: dense [latent, width, sites] or conv (the conv encoder's mirror: circular conv1d of width --kernel, --channels tanh channels, 1×1 conv to one spin per site)",
    }),
    kernel: int(1, 63).optional().meta({
      flag: "kernel",
      description: "with --encoder conv or --decoder conv: window width w in sites (below --sites)",
      defaultText: "each point's n",
    }),
    channels: int(1, 256)
      .default(16)
      .meta({ flag: "channels", description: "with --encoder conv or --decoder conv: hidden channels" }),
    reconstructionWeight: num(0, 1000)
      .default(1)
      .meta({ flag: "reconstruction-weight", description: "weight of the reconstruction loss" }),
    featureMatchingWeight: num(0, 1000).default(0).meta({
      flag: "feature-matching-weight",
      description:
        "weight of the latent's match to the dual variables σ (feature matching: hands the autoencoder σ; 0: never shown)",
    }),
    correlationWeight: num(0, 1000).default(0).meta({
      flag: "correlation-weight",
      description:
        "weight of the latent's match to simple correlation functions of the input through a fixed readout (the energy; never σ itself; 0: none)",
    }),
    correlationFunctions: z.enum(CORRELATION_FUNCTIONS).default("energy").meta({
      flag: "correlation-functions",
      description:
        "with --correlation-weight: energy (−J/K Σ_k z_k against E/K) or energy-nn (also (1/K) Σ_k z_k z_{k+1} against the same of σ)",
    }),
    correlationReadout: z.enum(CORRELATION_READOUTS).default("fixed").meta({
      flag: "correlation-readout",
      description:
        "with --correlation-weight: fixed (the functions of z as written) or affine (a f(z) + b per function, a and b trained from 1 and 0)",
    }),
    ...training,
  })
  .strict()
  .refine((c) => c.n.every((n) => n < c.sites), { message: "every n below --sites", path: ["n"] })
  .refine((c) => c.kernel === undefined || c.encoder === "conv" || c.decoder === "conv", {
    message: "--kernel only with --encoder conv or --decoder conv",
    path: ["kernel"],
  })
  .refine((c) => c.kernel === undefined || c.kernel < c.sites, {
    message: "--kernel below --sites",
    path: ["kernel"],
  })
  .refine((c) => c.encoder !== "conv" || c.latent === undefined || c.latent === c.sites, {
    message: "with --encoder conv, --latent equal to --sites (one latent unit per site)",
    path: ["latent"],
  })
  .refine((c) => c.decoder !== "conv" || c.latent === undefined || c.latent === c.sites, {
    message: "with --decoder conv, --latent equal to --sites (one latent unit per site)",
    path: ["latent"],
  })
  .refine((c) => c.featureMatchingWeight === 0 || (c.latent ?? c.sites) >= c.sites, {
    message: "with --feature-matching-weight > 0, --latent at least --sites (one latent unit per σ_k)",
    path: ["latent"],
  })
  .refine((c) => c.correlationWeight === 0 || (c.latent ?? c.sites) >= c.sites, {
    message:
      "with --correlation-weight > 0, --latent at least --sites (the readout sums one latent unit per σ_k)",
    path: ["latent"],
  })
  .refine((c) => c.correlationReadout === "fixed" || c.correlationWeight > 0, {
    message: "--correlation-readout affine only with --correlation-weight > 0",
    path: ["correlationReadout"],
  });

const ising2dSchema = z
  .object({
    L: int(4, 64)
      .refine((v) => v % 2 === 0, "even")
      .default(16)
      .meta({ flag: "L", description: "side of the square torus" }),
    temperatures: z.array(num(0.5, 2.2)).min(1).max(8).default([1.25, 1.5]).meta({
      flag: "temperatures",
      description: "base temperatures T0 (ordered phase, T < Tc), comma-separated",
    }),
    deltaT: num(0.005, 1)
      .default(0.25)
      .meta({ flag: "delta-t", description: "temperature step ΔT of each pair" }),
    samples: int(64, 1 << 20)
      .default(2048)
      .meta({ flag: "samples", description: "configurations per temperature" }),
    chains: int(2, 4096).default(64).meta({ flag: "chains", description: "independent Metropolis chains" }),
    warmup: int(0, 1_000_000)
      .default(1000)
      .meta({ flag: "warmup", description: "thermalisation sweeps (cold start)" }),
    every: int(1, 10_000).default(10).meta({ flag: "every", description: "sweeps between kept samples" }),
    hidden: int(1, 1024).default(64).meta({ flag: "hidden", description: "hidden units of the classifier" }),
    dftFrontEnd: z.boolean().default(false).meta({
      flag: "dft-front-end",
      description:
        "also train the per-coordinate classifier on the handed 2D DFT and behind a learned map W, without and with the separation loss",
    }),
    map: z.enum(MAP_KINDS).default("dense").meta({
      flag: "map",
      description:
        "the learned map with --dft-front-end: dense (N × N entries), separable A ⊗ B (an L × L map per axis), orthogonal (W = exp(K) of a skew N × N matrix K, orthogonal at every step), or orthogonal-separable (exp(K_A) ⊗ exp(K_B))",
    }),
    decorrelationWeight: num(0, 1000).default(0).meta({
      flag: "decorrelation-weight",
      description:
        "weight of the decorrelation term (the mean squared correlation between the learned coordinates, from the training inputs' covariance; no labels) in the loss of the learned map with separation, beside --separation-weight (0: none)",
    }),
    headDecay: num(0, 100).default(0).meta({
      flag: "head-decay",
      description: "weight of the L2 decay Σ(u² + v²) on the per-coordinate head behind the learned map",
    }),
    ...learnedMap,
    ...training,
  })
  .strict();

const fourierSchema = z
  .object({
    length: int(8, 256)
      .refine((v) => v % 4 === 0, "a multiple of 4")
      .default(32)
      .meta({ flag: "length", description: "signal length N" }),
    examples: int(64, 1 << 20)
      .default(4096)
      .meta({ flag: "examples", description: "signals per class" }),
    noise: num(0, 100).default(1).meta({ flag: "noise", description: "white-noise standard deviation" }),
    amplitude: num(0, 100).default(1).meta({ flag: "amplitude", description: "wave amplitude" }),
    task: z.enum(["band", "signal-noise"]).default("band").meta({
      flag: "task",
      description:
        "band: low- against high-frequency waves; signal-noise: a wave in noise against pure noise (the paper's Figure 1)",
    }),
    denseHidden: int(0, 1024).default(0).meta({
      flag: "dense-hidden",
      description: "hidden units of an extra dense tanh classifier on position and DFT inputs (0: none)",
    }),
    sharedHidden: int(0, 64).default(0).meta({
      flag: "shared-hidden",
      description:
        "hidden ReLU units of an extra shared classifier (logit = Σ g(t), one network g on every coordinate or pair; position, DFT and behind both learned maps; 0: none)",
    }),
    sharedInput: z.enum(SHARED_INPUTS).default("pair").meta({
      flag: "shared-input",
      description:
        "with --shared-hidden: what g reads, one coordinate or a pair of neighbours (in the DFT the cos and sin of one frequency)",
    }),
    peakWeight: num(0, 1000).default(0).meta({
      flag: "peak-weight",
      description:
        "weight of the peak reward (the excess kurtosis of each learned coordinate over a batch) in the learned maps' separation loss, beside --separation-weight (0: none)",
    }),
    peakFeature: z.enum(PEAK_FEATURES).default("coordinate").meta({
      flag: "peak-feature",
      description:
        "with --peak-weight: the excess kurtosis of each learned coordinate, or of the power of each pair of coordinates the shared classifier reads together",
    }),
    pairRows: int(0, 10_000).default(0).meta({
      flag: "pair-rows",
      description:
        "with --shared-hidden and --shared-input pair: also train the shared classifier's learned map + separation this many epochs, reorder its rows so that each pair g reads is the two coordinates whose powers move together most, and train it for the remaining epochs (0: not)",
    }),
    ...learnedMap,
    ...training,
  })
  .strict()
  .refine((c) => c.peakFeature === "coordinate" || c.peakWeight > 0, {
    message: "--peak-feature pair only with --peak-weight > 0",
    path: ["peakFeature"],
  })
  .refine((c) => c.pairRows === 0 || (c.sharedHidden > 0 && c.sharedInput === "pair"), {
    message: "--pair-rows only with --shared-hidden > 0 and --shared-input pair",
    path: ["pairRows"],
  })
  .refine((c) => c.pairRows < c.epochs, {
    message: "--pair-rows below --epochs (the epochs left train the reordered map)",
    path: ["pairRows"],
  });

/** Schemas (zod) with CLI flag metadata. */
export const chainConfigSchema = chainSchema;
export const ising2dConfigSchema = ising2dSchema;
export const fourierConfigSchema = fourierSchema;

export type ChainConfig = z.output<typeof chainSchema>;
export type ChainConfigInput = z.input<typeof chainSchema>;
export type Ising2dConfig = z.output<typeof ising2dSchema>;
export type Ising2dConfigInput = z.input<typeof ising2dSchema>;
export type FourierConfig = z.output<typeof fourierSchema>;
export type FourierConfigInput = z.input<typeof fourierSchema>;

/** Validates; throws a PhysmlInputError naming the first bad field. */
export const resolveChainConfig = (input: unknown): ChainConfig => parseOptions(chainSchema, input, "config");
export const resolveIsing2dConfig = (input: unknown): Ising2dConfig =>
  parseOptions(ising2dSchema, input, "config");
export const resolveFourierConfig = (input: unknown): FourierConfig =>
  parseOptions(fourierSchema, input, "config");
