// The learner: state → step → (state, metrics). Several starts (angles of the chunk table,
// spread over the half-circle from a random offset) descend the path-independence loss together
// with autodiff's Adam. The trivial line O = const (angle π/4) is a zero of the loss for every
// model, so the normalisation excludes a cone of half-angle `exclusion` around it: a step that
// enters the cone is put back on its edge, and a start that ends there found only the trivial
// line. (A mean-zero normalisation would exclude it too, but it also projects the disorder
// chunk e^{−2Kx} = cosh 2K − sinh 2K·x onto −x, i.e. it cannot tell the two lines apart.)
import { random, type Tensor, tensor } from "@physml/autodiff";
import { type AdamState, adam } from "@physml/autodiff/optim";
import { angleDiff, pathLoss, TRIVIAL_ANGLE } from "./table.js";

export interface LearnerOptions {
  /** Mean count fractions of every path (training samples). */
  means: readonly ArrayLike<number>[];
  pairs: readonly [number, number][];
  starts: number;
  steps: number;
  /** Initial learning rate (radians per step); it decays as lr/(1 + step/100). */
  lr: number;
  /** Half-angle of the excluded cone around the trivial line (radians). */
  exclusion: number;
  seed: number;
}

export interface LearnerState {
  step: number;
  /** One angle per start. */
  phi: Tensor;
  adam: AdamState;
}

export interface StepMetrics {
  step: number;
  /** Loss of each start. */
  loss: number[];
  phiDeg: number[];
}

/** Random offset, then `starts` angles spaced by π/starts. */
export function initLearner(o: LearnerOptions): LearnerState {
  const offset = random.uniform(random.key(o.seed), [1]).toFloat64Array()[0] * Math.PI;
  const phi = tensor(Array.from({ length: o.starts }, (_, j) => offset + (j * Math.PI) / o.starts));
  return { step: 0, phi, adam: adam({ lr: o.lr }).init(phi) };
}

/** Keeps an angle out of the cone around the trivial line (the normalisation's constraint). */
export function excludeTrivial(phi: number, exclusion: number): { phi: number; onEdge: boolean } {
  const d = angleDiff(phi, TRIVIAL_ANGLE);
  if (Math.abs(d) >= exclusion) return { phi, onEdge: false };
  return { phi: TRIVIAL_ANGLE + (d >= 0 ? exclusion : -exclusion), onEdge: true };
}

/** One Adam step of every start on the full training means. */
export function learnerStep(state: LearnerState, o: LearnerOptions): [LearnerState, StepMetrics] {
  const phi = state.phi.toFloat64Array();
  const loss: number[] = [];
  const grad = phi.map((p) => {
    const r = pathLoss(o.means, o.pairs, p);
    loss.push(r.loss);
    return r.dPhi;
  });
  const opt = adam({ lr: (t) => o.lr / (1 + t / 100) });
  const { params, state: adamState } = opt.step(state.phi, tensor(Array.from(grad)), state.adam);
  const next = params.toFloat64Array().map((p) => excludeTrivial(p, o.exclusion).phi);
  return [
    { step: state.step + 1, phi: tensor(Array.from(next)), adam: adamState },
    { step: state.step + 1, loss, phiDeg: Array.from(phi, (p) => (p * 180) / Math.PI) },
  ];
}

/**
 * The minimiser of the loss within ±width of `phi0` by golden-section search (the loss is smooth
 * and, near a line, a single well), to polish the Adam result and to re-fit jackknife subsamples.
 */
export function polishAngle(
  means: readonly ArrayLike<number>[],
  pairs: readonly [number, number][],
  phi0: number,
  width: number,
  tol = 1e-10,
): number {
  return goldenSection((p) => pathLoss(means, pairs, p).loss, phi0 - width, phi0 + width, tol);
}

/** The minimiser of a unimodal f on [a, b] by golden-section search, to within `tol`. */
export function goldenSection(f: (x: number) => number, a0: number, b0: number, tol = 1e-10): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = a0;
  let b = b0;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tol) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}
