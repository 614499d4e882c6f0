// What the runs of `physml integrability scnn` and `kdv` were trained with in fields their option
// schemas gained after their first run directories were written: a run written before a field
// existed has no such key in its config.json, and the schema would fill in today's default. Only fields whose default is not what such a run did are listed (a field whose default
// never changed reads right as it is). Read by the commands' --resume and by the runs readers
// (`runs ls|show|export`, `sweep status|merge`) through @physml/runs' fillAddedFields.
import type { AddedField } from "@physml/runs";

/**
 * `scnnOptionsSchema` fields added after run directories were first written whose default has
 * changed since: each was added with the default that kept the comparison as it was, which is what
 * a run written before it was trained with.
 */
export const SCNN_ADDED_FIELDS: Readonly<Record<string, AddedField>> = {
  // Q in the bracket loss had been T's outputs, 𝓛_conserved on the rates
  cyclicQ: "outputs",
  conservation: "rate",
  // orbits had been near-circular, all counter-clockwise, T fed the bodies' coordinates
  tilt: 0,
  retrograde: 0,
  frame: "bodies",
  // one draw of the SCNN, no restarts
  restarts: 0,
  // T had been the paper's general network
  transform: "general",
  // a point T had started at the identity; left out, pointStart now resolves to polar for a
  // point T in the relative frame
  pointStart: "identity",
  // H_θ had been the paper's MLP
  hamiltonian: "general",
  // the learning rate had no warm-up
  warmup: 0,
};

/**
 * `kdvOptionsSchema` fields added with today's defaults, quadratic, 2 and field, which were not
 * what the runs written before them did: those networks saw the features alone, the learner's
 * `restarts` was 0 (its own default then) and its loss the paper's four terms until 4 Dec. With
 * these, such a run's model (e.g. tanh [8, 8] on φ, φ_x, φ_xx, stored as `hidden`) is the one its
 * checkpoint holds, and it trains on the loss it started with.
 */
export const KDV_ADDED_FIELDS: Readonly<Record<string, AddedField>> = {
  lift: "none",
  restarts: 0,
  // before 4 Dec (no lift either) the command passed no weights, so the learner's default, the
  // paper's total loss; from 4 Dec, when lift was added, until the flag the field learners' weights
  lossTerms: (stored: Readonly<Record<string, unknown>>) => ("lift" in stored ? "field" : "paper"),
};

/**
 * `connectionOptionsSchema` fields added with a default that is not what the runs written before
 * them did: a family (`--spectral-range`) had started from its seeded random draw; today every
 * family starts from the fixed-λ connection.
 */
export const CONNECTION_ADDED_FIELDS: Readonly<Record<string, AddedField>> = {
  start: "random",
};
