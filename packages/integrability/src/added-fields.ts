// What the runs of `physml integrability scnn` and `kdv` were trained with in fields their option
// schemas gained after run directories were first written (3 Dec 2026, 867fa27f): a run written
// before a field existed has no such key in its config.json, and the schema would fill in today's
// default. Only fields whose default is not what such a run did are listed (a field whose default
// never changed reads right as it is). Read by the commands' --resume and by the runs readers
// (`runs ls|show|export`, `sweep status|merge`) through @physml/runs' fillAddedFields.

/**
 * `scnnOptionsSchema` fields added since run directories were first written whose default changed
 * on 7 Dec (168a501f): each added with a default that kept the comparison as it was, which a run
 * written before it was trained with.
 */
export const SCNN_ADDED_FIELDS: Readonly<Record<string, unknown>> = {
  // 4ed45cf1 (4 Dec): Q in the bracket loss had been T's outputs, 𝓛_conserved on the rates
  cyclicQ: "outputs",
  conservation: "rate",
  // 4a82f42c (4 Dec): orbits had been near-circular, all counter-clockwise, T fed the bodies'
  tilt: 0,
  retrograde: 0,
  frame: "bodies",
  // 4373c110 (5 Dec): one draw of the SCNN, no restarts
  restarts: 0,
  // bfd72867 (6 Dec): T had been the paper's general network
  transform: "general",
  // c548a6d9 (6 Dec): a point T (bfd72867, nine minutes earlier) had started at the identity;
  // left out, pointStart now resolves to polar for a point T in the relative frame
  pointStart: "identity",
  // 0eb97293 (6 Dec): H_θ had been the paper's MLP
  hamiltonian: "general",
  // 8f8643f4 (6 Dec): the learning rate had no warm-up
  warmup: 0,
};

/**
 * `kdvOptionsSchema` fields added on 4 Dec (8346910f) with today's defaults, quadratic and 2, which
 * were not what the runs written before did: those networks saw the features alone and the
 * learner's `restarts` was 0 (its own default then). With these, such a run's model (e.g. tanh
 * [8, 8] on φ, φ_x, φ_xx, stored as `hidden`) is the one its checkpoint holds.
 */
export const KDV_ADDED_FIELDS: Readonly<Record<string, unknown>> = {
  lift: "none",
  restarts: 0,
};
