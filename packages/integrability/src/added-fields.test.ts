// The stored configurations below are written by hand as the schemas of the time resolved them
// (`git show <rev>:packages/integrability/src/options.ts`): read through the tables, the current
// schemas must give the settings those runs were trained with.
import { parseOptions } from "@physml/lattice-core";
import { fillAddedFields } from "@physml/runs";
import { describe, expect, it } from "vitest";
import { CONNECTION_ADDED_FIELDS, KDV_ADDED_FIELDS, SCNN_ADDED_FIELDS } from "./added-fields.js";
import { CONNECTION_WEIGHTS, FIELD_CONNECTION_WEIGHTS, KDV_LOSS_TERMS } from "./lax/zero-curvature-learn.js";
import { connectionOptionsSchema, kdvModel, kdvOptionsSchema, scnnOptionsSchema } from "./options.js";

const scnn = (c: unknown) => parseOptions(scnnOptionsSchema, c);
const kdv = (c: unknown) => parseOptions(kdvOptionsSchema, c);
const connection = (c: unknown) => parseOptions(connectionOptionsSchema, c);

/** An scnn run's config.json at 867fa27f (3 Dec), the first run directories: every field then. */
const SCNN_867FA27F = {
  system: "two-body",
  steps: 2000,
  trainOrbits: 32,
  testOrbits: 8,
  time: 6,
  batch: 128,
  lr: 3e-3,
  boost: { offset: 0.5, velocity: 0.1 },
  cyclic: 3,
  poissonWeight: 1,
  conservationWeight: 10,
  seed: 0,
};

/** What that run was trained with in every field added since (each added as it behaved before). */
const SCNN_THEN = {
  cyclicQ: "outputs", // 4ed45cf1
  conservation: "rate",
  speedSpread: 0.1, // 09b4d109
  tilt: 0, // 4a82f42c
  retrograde: 0,
  frame: "bodies",
  inverseSquare: 0, // 19f63965
  commutationWeight: 0, // e241f7e0
  independenceWeight: 0, // b18c8725
  independence: "determinant",
  restarts: 0, // 4373c110
  restartWithin: 0.005,
  transform: "general", // bfd72867
  pointStart: "identity", // c548a6d9
  pointStartSpread: 0, // ed0cb8b2
  hamiltonian: "general", // 0eb97293
  warmup: 0, // 8f8643f4
  generalStart: "identity", // 27638eff
};

describe("SCNN_ADDED_FIELDS", () => {
  it("a run written on 3 Dec resumes with the settings it was trained with", () => {
    expect(scnn(fillAddedFields(SCNN_867FA27F, SCNN_ADDED_FIELDS))).toEqual({
      ...SCNN_867FA27F,
      ...SCNN_THEN,
    });
  });

  it("a point T written before --point-start existed started at the identity, not today's polar", () => {
    // bfd72867 (6 Dec): transform existed, pointStart not yet; a point T in the relative frame
    // with 3 cyclic coordinates and gradients, where pointStart now resolves to polar
    const {
      pointStart: _,
      pointStartSpread: _s,
      hamiltonian: _h,
      warmup: _w,
      generalStart: _g,
      ...then
    } = {
      ...SCNN_867FA27F,
      ...SCNN_THEN,
    };
    const stored = { ...then, transform: "point", frame: "relative", cyclicQ: "gradients" };
    expect(scnn(stored).pointStart).toBe("polar");
    expect(scnn(fillAddedFields(stored, SCNN_ADDED_FIELDS))).toEqual({
      ...stored,
      pointStart: "identity",
      pointStartSpread: 0,
      hamiltonian: "general",
      warmup: 0,
      generalStart: "identity",
    });
  });

  it("a run written today reads as stored: every field is there", () => {
    const today = scnn({});
    expect(scnn(fillAddedFields(JSON.parse(JSON.stringify(today)), SCNN_ADDED_FIELDS))).toEqual(today);
  });

  it("lists only fields whose default today is not what runs written before them did", () => {
    const today = scnn({}) as Record<string, unknown>;
    for (const [field, then] of Object.entries(SCNN_ADDED_FIELDS)) {
      expect(then).toEqual(SCNN_THEN[field as keyof typeof SCNN_THEN]);
      expect(today[field]).not.toEqual(then);
    }
  });
});

/** A kdv run's config.json at 867fa27f (3 Dec): tanh [8, 8] on φ, φ_x, φ_xx, before lift and restarts. */
const KDV_867FA27F = {
  order: 2,
  size: 2,
  hidden: [8, 8],
  samples: 2048,
  adamSteps: 300,
  polishIter: 40,
  polish: "lm",
  lr: 3e-3,
  data: { trajectories: 6, n: 256, time: 2, snapshots: 11 },
  seed: 0,
};

describe("KDV_ADDED_FIELDS", () => {
  it("a run written before --lift, --restarts and --loss-terms resumes on the features alone, without restarts, on the paper's loss", () => {
    // the learner then took no lift (LearnConnectionConfig omitted it: "none"), restarts ?? 0 and
    // its default weights (the command passed none: CONNECTION_WEIGHTS, the paper's four terms)
    const read = kdv(fillAddedFields(KDV_867FA27F, KDV_ADDED_FIELDS));
    expect(read).toEqual({ ...KDV_867FA27F, lift: "none", restarts: 0, lossTerms: "paper" });
    expect(KDV_LOSS_TERMS[read.lossTerms]).toEqual(CONNECTION_WEIGHTS);
    expect(kdvModel(read)).toEqual({ inputs: 3, hidden: [8, 8] });
    // today's defaults would give the networks 9 inputs: another model than its checkpoint's
    expect(kdvModel(kdv(KDV_867FA27F)).inputs).toBe(9);
  });

  it("a run written between 4 Dec (--lift) and --loss-terms resumes on the field learners' weights it had", () => {
    // the command passed FIELD_CONNECTION_WEIGHTS from the commit that added --lift
    const { lossTerms: _, ...dec5 } = kdv({});
    const read = kdv(fillAddedFields(dec5, KDV_ADDED_FIELDS));
    expect(read.lossTerms).toBe("field");
    expect(KDV_LOSS_TERMS[read.lossTerms]).toEqual(FIELD_CONNECTION_WEIGHTS);
  });

  it("a run written today reads as stored, and the entries differ from today's defaults", () => {
    const today = kdv({});
    expect(kdv(fillAddedFields(JSON.parse(JSON.stringify(today)), KDV_ADDED_FIELDS))).toEqual(today);
    const then = kdv(fillAddedFields(KDV_867FA27F, KDV_ADDED_FIELDS)) as Record<string, unknown>;
    for (const field of Object.keys(KDV_ADDED_FIELDS))
      expect((today as Record<string, unknown>)[field]).not.toEqual(then[field]);
  });
});

/** A Heisenberg family run's config.json at 90fd8f43 (7 Dec), before --start: every field then. */
const HEISENBERG_FAMILY_90FD8F43 = {
  system: "heisenberg",
  spectralRange: [0.5, 2],
  polishIter: 60,
  polish: "lm",
  lr: 3e-3,
  data: { trajectories: 6, snapshots: 11 },
  seed: 0,
};

describe("CONNECTION_ADDED_FIELDS", () => {
  it("a family run written before --start resumes from its random draw, not today's fixed start", () => {
    const read = connection(fillAddedFields(HEISENBERG_FAMILY_90FD8F43, CONNECTION_ADDED_FIELDS));
    expect(read).toEqual({ ...HEISENBERG_FAMILY_90FD8F43, start: "random" });
    // left out, today's default for this family is the fixed start
    expect(connection(HEISENBERG_FAMILY_90FD8F43).start).toBe("fixed");
    // so is sine-Gordon's (since its boost start), and an old sine-Gordon family run reads random too
    const sineGordon = { ...HEISENBERG_FAMILY_90FD8F43, system: "sine-gordon" };
    expect(connection(sineGordon).start).toBe("fixed");
    expect(connection(fillAddedFields(sineGordon, CONNECTION_ADDED_FIELDS)).start).toBe("random");
  });

  it("a run written today reads as stored", () => {
    for (const given of [{ system: "heisenberg", spectralRange: [0.5, 2] }, { system: "sine-gordon" }]) {
      const today = connection(given);
      expect(connection(fillAddedFields(JSON.parse(JSON.stringify(today)), CONNECTION_ADDED_FIELDS))).toEqual(
        today,
      );
    }
  });
});
