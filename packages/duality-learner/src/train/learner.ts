// The training driver: target data, persistent candidate chains, and the alternating update
// of the observable map (backpropagation) and the couplings (covariance estimator). Thin loop;
// the model (../model), the estimator (../stats) and the run directory (../run) live apart.
import { adam, grad, MLP, mul, random, sum, gather, softmax, type Tensor, tensor, vjp, add } from "@physml/autodiff";
import { dualCoupling, type SquareLattice, squareLattice } from "@physml/lattice-core";
import { createSampler, type Sampler } from "@physml/mcmc-gpu";
import { CANDIDATE_TERMS, type DualityConfig, type DualityConfigInput, learnedTermIndices, resolveConfig } from "../config.js";
import { linkVariablesBatch } from "../model/features.js";
import {
  type AttentionParams,
  attentionFeatures,
  FeatureGeometry,
  type ForwardOptions,
  type MlpParams,
  mlpFeatures,
} from "../model/observable.js";
import { resolveShapes } from "../model/shapes.js";
import { candidateSlots, windowTable } from "../model/window.js";
import type { RunDir } from "../run/rundir.js";
import { batchMeans, couplingGradient, precondition } from "../stats/gradient.js";
import { measureTarget, type TargetData } from "./target.js";
import { addTrees, decodeTree, encodeTree } from "./tree.js";

/** One line of metrics.jsonl. */
export interface StepMetrics {
  step: number;
  /** Σ_a (pooled mean − target)² (includes sampling noise). */
  loss: number;
  /** Split-half estimate Σ_a l_a^A l_a^B (noise-unbiased; may be slightly negative). */
  lossUnbiased: number;
  /** Couplings after the step, one per candidate term (nn, plaquette, nnn, field). */
  t: number[];
  /** θ2, θ3 (attention map) or the effective slope and offset (MLP map). */
  theta: [number, number];
  tau: number;
  /** Attention probabilities softmax(logits) (attention map) or slot sensitivities (MLP). */
  attention: number[];
  lrFactor: number;
  elapsedMs: number;
}

/** The outcome of one run (result.json). */
export interface DualityResult {
  beta: number;
  plaquette: number;
  L: number;
  Ly: number;
  seed: number;
  /** Learned couplings (mean over the last `averageFraction` of steps) and batch-means errors. */
  learned: Record<(typeof CANDIDATE_TERMS)[number], number>;
  learnedError: Record<(typeof CANDIDATE_TERMS)[number], number>;
  /** The learned nn coupling t0 and its error. */
  t0: number;
  t0Error: number;
  /** Which symmetric image was found: t0 > 0 (ferro) or t0 < 0 (antiferro, x → −x). */
  image: "ferro" | "antiferro";
  /** Exact Kramers–Wannier values (null when the original has a plaquette coupling). */
  exact: { dualBeta: number; theta2: number; theta3: number } | null;
  /** (|t0| − β̃)/β̃ (null without an exact value). */
  relativeError: number | null;
  /** Head slope and offset; for the antiferro image θ2 is compared with +sinh 2β̃. */
  theta2: number;
  theta3: number;
  attention: {
    slots: string[];
    kinds: string[];
    weights: number[];
    /** Shannon entropy of the weights in nats (0 = one-hot; ln K = uniform). */
    entropy: number;
    chosen: { slot: number; name: string; kind: string; weight: number };
  };
  /** Mean unbiased loss over the averaging window. */
  finalLoss: number;
  steps: number;
  samplesPerStep: number;
  wallTimeMs: number;
  targetTimeMs: number;
  backend: string;
  adapter: string;
  kernel: string;
  observable: "attention" | "mlp";
  shapes: string[];
}

/** Callbacks of a run. */
export interface LearnHooks {
  /** Called after every step. */
  onStep?: (m: StepMetrics, total: number) => void;
  /** Log lines (target measured, resume point, …). */
  log?: (msg: string) => void;
}

interface Checkpoint {
  version: 1;
  /** The next step to run. */
  step: number;
  t: number[];
  tAdam: { m: number[]; v: number[]; n: number };
  head: unknown;
  headState: unknown;
  mlpSign: number;
  spins: string;
  sweepCount: number;
  elapsedMs: number;
}

const HEAD_TERMS = CANDIDATE_TERMS;

/** Mixes the run seed and a step index into a 53-bit key seed (splitmix-style, deterministic). */
function stepSeed(seed: number, step: number): number {
  let h = (Math.imul((seed % 2 ** 32) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(step + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) + 2 ** 32 * (Math.floor(seed / 2 ** 32) % 2 ** 21);
}

/** Schedules as functions of the run fraction f = step/steps. */
function schedules(c: DualityConfig, step: number) {
  const f = step / c.optimizer.steps;
  const o = c.observable;
  const a = o.tauAnnealFraction > 0 ? Math.min(1, f / o.tauAnnealFraction) : 1;
  const tau = o.tauStart * (o.tauEnd / o.tauStart) ** a;
  const { decayStart, finalLrFactor, freezeFraction } = c.optimizer;
  const lrFactor = f < decayStart ? 1 : 1 - ((1 - finalLrFactor) * (f - decayStart)) / Math.max(1e-12, 1 - decayStart);
  return { tau, lrFactor, tFrozen: f < freezeFraction };
}

function couplingsOf(t: number[]) {
  return { nn: t[0], plaquette: t[1], nnn: t[2], field: t[3] };
}

function entropy(p: number[]): number {
  return -p.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0);
}

/**
 * Learns the dual of the Ising model at `config.beta`: couplings t of the candidate model and
 * the observable map O_θ such that the shape features of x under the original model match those
 * of O_θ under H_t. Writes config/metrics/target/checkpoints/result into `run` when given, and
 * resumes from its checkpoint when `resume` is true.
 */
export async function learnDuality(
  input: DualityConfigInput,
  opts: { run?: RunDir; resume?: boolean; hooks?: LearnHooks } = {},
): Promise<DualityResult> {
  const config = resolveConfig(input);
  const { run, hooks = {} } = opts;
  const log = hooks.log ?? (() => {});
  const startWall = Date.now();
  const Ly = config.Ly ?? config.L;
  const lattice: SquareLattice = squareLattice(config.L, Ly);
  const shapes = resolveShapes(config.shapes);
  const slots = candidateSlots(config.observable.window);
  const geom = new FeatureGeometry(lattice, slots, windowTable(lattice, slots), shapes);
  const K = slots.length;
  const termIdx = learnedTermIndices(config);
  const cc = config.candidate;
  const oc = config.observable;
  const steps = config.optimizer.steps;

  const ckpt: Checkpoint | null = opts.resume && run?.has("checkpoint.json") ? run.readJson<Checkpoint>("checkpoint.json") : null;
  if (run && !ckpt) run.writeJson("config.json", config);

  // Target features (kept in target.json so a resumed run reuses them).
  let target: TargetData;
  if (run?.has("target.json") && ckpt) target = run.readJson<TargetData>("target.json");
  else {
    target = await measureTarget(config, lattice, shapes);
    run?.writeJson("target.json", target);
  }
  log(
    `target: ${target.chains}×${target.samplesPerChain} samples at β=${config.beta} in ${(target.wallTimeMs / 1000).toFixed(1)} s ` +
      `(max error ${Math.max(...target.error).toExponential(1)})`,
  );

  // Parameters.
  const rootKey = random.key(config.seed);
  const [kLogits, kMlp] = random.split(rootKey, 2);
  let t = [cc.init.nn, cc.init.plaquette, cc.init.nnn, cc.init.field];
  const net = oc.kind === "mlp" ? new MLP([K, ...oc.hidden, 1], { key: kMlp, activation: "tanh" }) : null;
  let head: AttentionParams | MlpParams =
    oc.kind === "mlp"
      ? (net as MLP).params
      : {
          logits: random.normal(kLogits, [K]).mul(oc.logitInitStd),
          theta: tensor([oc.theta2Init, oc.theta3Init]),
        };
  let mlpSign = 1;
  const headOpt = adam({ lr: (n: number) => config.optimizer.lr * schedules(config, n).lrFactor });
  let headState = headOpt.init(head);
  const tAdam = { m: new Array(4).fill(0), v: new Array(4).fill(0), n: 0 };
  let startStep = 0;
  let elapsedBefore = 0;

  // Candidate sampler: persistent chains on the candidate lattice.
  const tempered = cc.temperingEvery > 0;
  const ladder = (c: number): number => {
    // Zig-zag ladder 1, 1−δ, …, 1−(R−1)δ, 1−(R−1)δ, …, 1 over blocks of 2R chains: neighbours
    // exchange, and the two factor-1 slots of each block feed the gradient.
    const R = 4;
    const pos = c % (2 * R);
    const r = pos < R ? pos : 2 * R - 1 - pos;
    return 1 - (cc.temperingSpread * r) / (R - 1);
  };
  const slotCouplings = () =>
    Array.from({ length: cc.chains }, (_, c) => {
      const f = tempered ? ladder(c) : 1;
      return { nn: t[0] * f, plaquette: t[1] * f, nnn: t[2] * f, field: t[3] * f };
    });
  const needsInt = t[1] !== 0 || t[2] !== 0 || t[3] !== 0 || termIdx.some((k) => k > 0) || tempered;
  const sampler: Sampler = await createSampler({
    lattice,
    couplings: slotCouplings(),
    chains: cc.chains,
    seed: (config.seed * 2) % 2 ** 53,
    backend: config.backend,
    kernel: needsInt ? "int" : "auto",
    colouring: termIdx.some((k) => k === 1 || k === 2) || t[1] !== 0 || t[2] !== 0 ? 4 : "auto",
    init: "cold",
    ...(tempered ? { tempering: { every: cc.temperingEvery } } : {}),
  });

  const history: { t: number[]; theta: [number, number]; lossUnbiased: number }[] = [];
  try {
    if (ckpt) {
      startStep = ckpt.step;
      t = ckpt.t;
      Object.assign(tAdam, ckpt.tAdam);
      head = decodeTree(ckpt.head) as typeof head;
      headState = decodeTree(ckpt.headState) as typeof headState;
      mlpSign = ckpt.mlpSign;
      elapsedBefore = ckpt.elapsedMs;
      await sampler.setCouplings(slotCouplings());
      await sampler.restore(new Int8Array(Buffer.from(ckpt.spins, "base64").buffer.slice(0)), ckpt.sweepCount);
      run?.truncateMetrics(startStep);
      for (const m of run?.readMetrics<StepMetrics>() ?? []) {
        history.push({ t: m.t, theta: m.theta, lossUnbiased: m.lossUnbiased });
      }
      log(`resumed at step ${startStep}/${steps}`);
    } else {
      await sampler.sweep(cc.warmupSweeps);
      run?.writeText("metrics.jsonl", "");
    }

    const perChain = Math.floor(cc.sweepsPerStep / cc.every);
    const useChain = Array.from({ length: cc.chains }, (_, c) => !tempered || ladder(c) === 1);
    const used = useChain.map((u, c) => (u ? c : -1)).filter((c) => c >= 0);
    const S = used.length * perChain;
    const half = Math.floor(used.length / 2) * perChain;
    const A = shapes.length;
    const trivial = Int32Array.from(slots.flatMap((s, k) => (s.trivial ? [k] : [])));
    const targetMean = Float64Array.from(target.mean);
    const startLoop = Date.now();

    for (let step = startStep; step < steps; step++) {
      const { tau, lrFactor, tFrozen } = schedules(config, step);
      const meas = await sampler.measure({ sweeps: cc.sweepsPerStep, every: cc.every, configurations: true });
      const conf = meas.configurations as Int8Array;
      // Rows of the used chains, chain-major: the first half of the chains is half A.
      const N = lattice.nSites;
      const spins = new Int8Array(S * N);
      const terms = new Float64Array(S * 4);
      used.forEach((c, u) => {
        spins.set(conf.subarray(c * perChain * N, (c + 1) * perChain * N), u * perChain * N);
        terms.set(meas.terms.subarray(c * perChain * 4, (c + 1) * perChain * 4), u * perChain * 4);
      });
      const x = linkVariablesBatch(lattice, spins, S);
      const X = geom.windowMatrix(x, S);
      const fo: ForwardOptions = { key: random.key(stepSeed(config.seed, step)), tau, hard: oc.hard, gumbel: oc.gumbel };
      const forward = (p: typeof head): Tensor =>
        net ? mlpFeatures(geom, X, S, net, p as MlpParams, mlpSign) : attentionFeatures(geom, X, S, p as AttentionParams, fo);
      const [psiT, pullback] = vjp(forward, head) as unknown as [Tensor, (ct: Tensor) => unknown];
      const psi = psiT.toFloat64Array();
      const g = couplingGradient({
        psi,
        terms,
        samples: S,
        half,
        target: targetMean,
        termIndices: termIdx,
        controlVariates: config.optimizer.controlVariates,
      });

      // ∂L/∂θ: cotangent l^B/n_A on half-A rows and l^A/n_B on half-B rows (split-half, unbiased).
      const ct = new Float64Array(S * A);
      for (let b = 0; b < S; b++) {
        const other = b < half ? g.residualB : g.residualA;
        const n = b < half ? half : S - half;
        for (let a = 0; a < A; a++) ct[b * A + a] = other[a] / n;
      }
      const pulled = pullback(tensor(ct, [S, A]));
      let headGrad = (Array.isArray(pulled) && pulled.length === 1 ? pulled[0] : pulled) as typeof head;
      if (!net && oc.identityPenalty > 0 && trivial.length > 0) {
        const pen = grad((logits: Tensor) => mul(sum(gather(softmax(logits, -1), trivial, 0)), oc.identityPenalty))(
          (head as AttentionParams).logits,
        ) as Tensor;
        const hg = headGrad as AttentionParams;
        headGrad = { logits: add(hg.logits, pen), theta: hg.theta };
      }
      const upd = headOpt.step(head, headGrad, headState);
      head = upd.params as typeof head;
      headState = upd.state;

      // Couplings: covariance gradient, optional preconditioning, Adam (or preconditioned SGD).
      if (!tFrozen) {
        const dt = precondition(g, config.optimizer.precondition, lattice.nSites);
        const lr = config.optimizer.tLr * lrFactor;
        tAdam.n++;
        termIdx.forEach((k, j) => {
          if (config.optimizer.precondition !== "none") {
            t[k] -= lr * dt[j];
            return;
          }
          tAdam.m[k] = 0.9 * tAdam.m[k] + 0.1 * dt[j];
          tAdam.v[k] = 0.999 * tAdam.v[k] + 0.001 * dt[j] ** 2;
          const mh = tAdam.m[k] / (1 - 0.9 ** tAdam.n);
          const vh = tAdam.v[k] / (1 - 0.999 ** tAdam.n);
          t[k] -= (lr * mh) / (Math.sqrt(vh) + 1e-12);
        });
        for (const k of termIdx) t[k] = Math.max(-cc.maxCoupling, Math.min(cc.maxCoupling, t[k]));
        // The antiferromagnetic image (t_nn, θ2) → (−t_nn, −θ2) has the same loss; map onto the
        // requested one (exact only without a field term, which resolveConfig enforces).
        const want = config.sign === "ferro" ? 1 : config.sign === "antiferro" ? -1 : 0;
        if (want !== 0 && Math.sign(t[0]) === -want) {
          t[0] = -t[0];
          tAdam.m[0] = -tAdam.m[0];
          if (net) mlpSign = -mlpSign;
          else {
            const hp = head as AttentionParams;
            const th = hp.theta.toFloat64Array();
            head = { logits: hp.logits, theta: tensor([-th[0], th[1]]) };
          }
        }
        await sampler.setCouplings(slotCouplings());
      }

      const summary = headSummary(head, net, geom, X, S, mlpSign);
      const m: StepMetrics = {
        step,
        loss: g.loss,
        lossUnbiased: g.lossUnbiased,
        t: [...t],
        theta: summary.theta,
        tau,
        attention: summary.weights,
        lrFactor,
        elapsedMs: elapsedBefore + (Date.now() - startLoop),
      };
      history.push({ t: m.t, theta: m.theta, lossUnbiased: m.lossUnbiased });
      const last = step === steps - 1;
      if (run && ((step + 1) % config.checkpointEvery === 0 || last)) {
        const snap = await sampler.snapshot();
        const c: Checkpoint = {
          version: 1,
          step: step + 1,
          t: [...t],
          tAdam: { m: [...tAdam.m], v: [...tAdam.v], n: tAdam.n },
          head: encodeTree(head),
          headState: encodeTree(headState),
          mlpSign,
          spins: Buffer.from(snap.buffer, snap.byteOffset, snap.byteLength).toString("base64"),
          sweepCount: sampler.sweepCount,
          elapsedMs: m.elapsedMs,
        };
        run.writeJson("checkpoint.json", c);
      }
      run?.appendMetric(m);
      hooks.onStep?.(m, steps);
    }

    // Final summary: averages over the tail of training.
    const tail = history.slice(Math.max(0, history.length - Math.max(1, Math.round(config.optimizer.averageFraction * steps))));
    const learned = {} as DualityResult["learned"];
    const learnedError = {} as DualityResult["learnedError"];
    HEAD_TERMS.forEach((name, k) => {
      const bm = batchMeans(tail.map((h) => h.t[k]));
      learned[name] = bm.mean;
      learnedError[name] = termIdx.includes(k) ? bm.error : 0;
    });
    const t0 = learned.nn;
    const exactBeta = config.plaquette === 0 ? dualCoupling(config.beta) : null;
    const image = t0 >= 0 ? "ferro" : "antiferro";
    const summary = headSummary(head, net, geom, null, 0, mlpSign);
    const weights = summary.weights;
    let chosen = 0;
    for (let k = 1; k < K; k++) if (weights[k] > weights[chosen]) chosen = k;
    const result: DualityResult = {
      beta: config.beta,
      plaquette: config.plaquette,
      L: config.L,
      Ly,
      seed: config.seed,
      learned,
      learnedError,
      t0,
      t0Error: learnedError.nn,
      image,
      exact: exactBeta === null ? null : { dualBeta: exactBeta, theta2: -Math.sinh(2 * exactBeta), theta3: Math.cosh(2 * exactBeta) },
      relativeError: exactBeta === null ? null : (Math.abs(t0) - exactBeta) / exactBeta,
      theta2: batchMeans(tail.map((h) => h.theta[0])).mean,
      theta3: batchMeans(tail.map((h) => h.theta[1])).mean,
      attention: {
        slots: slots.map((s) => s.name),
        kinds: slots.map((s) => s.kind),
        weights,
        entropy: entropy(weights),
        chosen: { slot: chosen, name: slots[chosen].name, kind: slots[chosen].kind, weight: weights[chosen] },
      },
      finalLoss: batchMeans(tail.map((h) => h.lossUnbiased)).mean,
      steps,
      samplesPerStep: S,
      wallTimeMs: elapsedBefore + (Date.now() - startWall),
      targetTimeMs: target.wallTimeMs,
      backend: sampler.backend,
      adapter: sampler.adapter,
      kernel: sampler.kernel,
      observable: oc.kind,
      shapes: shapes.map((s) => s.name),
    };
    run?.writeJson("result.json", result);
    return result;
  } finally {
    await sampler.dispose();
  }
}

/**
 * Attention probabilities and (θ2, θ3) of the head. For the MLP map the "attention" is the mean
 * |∂O/∂x_k| per slot (normalised) and (θ2, θ3) the least-squares line of O against the most
 * sensitive slot, evaluated on ±1 inputs that differ from all +1 in one slot.
 */
function headSummary(
  head: AttentionParams | MlpParams,
  net: MLP | null,
  geom: FeatureGeometry,
  _X: Tensor | null,
  _S: number,
  mlpSign: number,
): { weights: number[]; theta: [number, number] } {
  const K = geom.K;
  if (!net) {
    const h = head as AttentionParams;
    const w = Array.from(softmax(h.logits, -1).toFloat64Array());
    const th = h.theta.toFloat64Array();
    return { weights: w, theta: [th[0], th[1]] };
  }
  // MLP: finite differences of O between x_k = +1 and −1 with the other inputs at +1.
  const rows = new Float64Array((K + 1) * K).fill(mlpSign);
  for (let k = 0; k < K; k++) rows[(k + 1) * K + k] = -mlpSign;
  const o = net.apply(head as MlpParams, tensor(rows, [K + 1, K])).toFloat64Array();
  const sens = Array.from({ length: K }, (_, k) => Math.abs(o[0] - o[k + 1]) / 2);
  const total = sens.reduce((a, b) => a + b, 0) || 1;
  let best = 0;
  for (let k = 1; k < K; k++) if (sens[k] > sens[best]) best = k;
  const slope = (o[0] - o[best + 1]) / 2;
  return { weights: sens.map((s) => s / total), theta: [slope, o[0] - slope] };
}
