// Validation of a model description (from code or a JSON file) into a `Model`. Every error is
// a PhysmlInputError naming the offending field by its path, e.g. `terms[1].sites[0][1]`.

import { checkInt, PhysmlInputError } from "../errors.js";
import { isObject } from "../io/is-object.js";
import { plural } from "../text/plural.js";
import { inheritGeometry } from "./derive.js";
import type { LatticeSpec, Model, ModelInput, Offset, Spin, Term } from "./types.js";

/** Largest lattice side accepted by a model description. */
export const MAX_MODEL_SIDE = 1 << 15;
/** Largest |component| of a term offset. */
export const MAX_OFFSET = 64;

function checkKeys(field: string, o: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k))
      throw new PhysmlInputError(`${field}.${k}`, `no such key (allowed: ${allowed.join(", ")})`, k);
  }
}

function parseSpin(v: unknown): Spin {
  if (v === "ising") return { kind: "ising" };
  if (v === "xy") return { kind: "on", n: 2 };
  if (v === "heisenberg") return { kind: "on", n: 3 };
  if (isObject(v) && "on" in v) {
    checkKeys("spin", v, ["on"]);
    return { kind: "on", n: checkInt("spin.on", v.on as number, 2, 16) };
  }
  throw new PhysmlInputError("spin", '"ising", "xy", "heisenberg" or { "on": n }', v as string);
}

function side(field: string, v: unknown): number {
  return checkInt(field, v as number, 1, MAX_MODEL_SIDE);
}

function parseLattice(v: unknown): LatticeSpec {
  const allowed = '{ "chain": L }, { "square": [Lx, Ly] } or { "cubic": L }';
  if (!isObject(v)) throw new PhysmlInputError("lattice", allowed, typeof v);
  const keys = Object.keys(v).filter((k) => k !== "twist");
  if (keys.length !== 1) throw new PhysmlInputError("lattice", `exactly one of ${allowed}`, keys.join(","));
  let spec: LatticeSpec;
  if ("chain" in v) spec = { kind: "chain", L: side("lattice.chain", v.chain) };
  else if ("cubic" in v) spec = { kind: "cubic", L: side("lattice.cubic", v.cubic) };
  else if ("square" in v) {
    const s = v.square;
    if (typeof s === "number") spec = { kind: "square", Lx: side("lattice.square", s), Ly: s };
    else if (!Array.isArray(s) || s.length !== 2)
      throw new PhysmlInputError("lattice.square", "L or [Lx, Ly]", typeof s);
    else spec = { kind: "square", Lx: side("lattice.square[0]", s[0]), Ly: side("lattice.square[1]", s[1]) };
  } else throw new PhysmlInputError("lattice", allowed, keys[0]);
  if (v.twist === undefined) return spec;
  const dim = latticeDimension(spec);
  const t = v.twist;
  if (!Array.isArray(t) || t.length !== dim || !t.every((b) => typeof b === "boolean")) {
    throw new PhysmlInputError(
      "lattice.twist",
      `an array of ${dim} booleans (one per axis)`,
      JSON.stringify(t),
    );
  }
  // All-periodic is the plain lattice: one geometry, one cache entry.
  return t.some((b) => b) ? { ...spec, twist: Object.freeze([...t]) } : spec;
}

/** Throws unless a twisted lattice carries Ising spins and only even shapes (a Z2 twist). */
function checkTwist(spin: Spin, lattice: LatticeSpec, terms: readonly Term[]): void {
  if (!lattice.twist) return;
  if (spin.kind !== "ising")
    throw new PhysmlInputError("lattice.twist", "only with Ising spins", `on(${spin.n})`);
  for (const [k, t] of terms.entries())
    for (const [j, s] of t.shapes.entries()) {
      if (s.length % 2 !== 0)
        throw new PhysmlInputError(
          `terms[${k}].shapes[${j}]`,
          "an even number of sites on a twisted lattice (the twist is a spin-flip symmetry twist)",
          s.length,
        );
    }
}

/** Number of components of an offset on this lattice. */
export function latticeDimension(lattice: LatticeSpec): number {
  return lattice.kind === "chain" ? 1 : lattice.kind === "square" ? 2 : 3;
}

function parseOffset(field: string, v: unknown, dim: number): Offset {
  if (!Array.isArray(v) || v.length !== dim) {
    throw new PhysmlInputError(field, `an array of ${plural(dim, "integer")}`, JSON.stringify(v));
  }
  return v.map((c, d) => checkInt(`${field}[${d}]`, c, -MAX_OFFSET, MAX_OFFSET));
}

function parseShape(field: string, v: unknown, dim: number, maxSites: number): Offset[] {
  if (!Array.isArray(v) || v.length < 1 || v.length > maxSites) {
    throw new PhysmlInputError(
      field,
      `a list of 1 to ${maxSites} offsets`,
      Array.isArray(v) ? v.length : typeof v,
    );
  }
  return v.map((o, k) => parseOffset(`${field}[${k}]`, o, dim));
}

function parseTerm(field: string, v: unknown, spin: Spin, dim: number): Term {
  if (!isObject(v))
    throw new PhysmlInputError(field, "an object { name, coupling, sites | shapes }", typeof v);
  checkKeys(field, v, ["name", "coupling", "sites", "shapes", "axis"]);
  if (typeof v.name !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.name)) {
    throw new PhysmlInputError(`${field}.name`, "an identifier (letters, digits, _)", v.name as string);
  }
  if (typeof v.coupling !== "number" || !Number.isFinite(v.coupling)) {
    throw new PhysmlInputError(`${field}.coupling`, "a finite number", v.coupling as string);
  }
  if ((v.sites === undefined) === (v.shapes === undefined)) {
    throw new PhysmlInputError(field, "exactly one of sites or shapes", "both or neither");
  }
  // O(n) terms: a field (1 site) or a dot product (2 sites); Ising products of up to 16 spins.
  const maxSites = spin.kind === "ising" ? 16 : 2;
  let shapes: Offset[][];
  if (v.sites !== undefined) shapes = [parseShape(`${field}.sites`, v.sites, dim, maxSites)];
  else {
    if (!Array.isArray(v.shapes) || v.shapes.length < 1 || v.shapes.length > 32) {
      throw new PhysmlInputError(`${field}.shapes`, "a list of 1 to 32 site lists", typeof v.shapes);
    }
    shapes = v.shapes.map((s, k) => parseShape(`${field}.shapes[${k}]`, s, dim, maxSites));
  }
  let axis = 0;
  if (v.axis !== undefined) {
    if (spin.kind !== "on")
      throw new PhysmlInputError(`${field}.axis`, "only for O(n) spins", v.axis as number);
    axis = checkInt(`${field}.axis`, v.axis as number, 0, spin.n - 1);
  }
  if (spin.kind === "on") {
    const k = shapes[0].length;
    shapes.forEach((s, j) => {
      if (s.length !== k)
        throw new PhysmlInputError(`${field}.shapes[${j}]`, `${k} sites like shapes[0]`, s.length);
    });
  }
  return { name: v.name, coupling: v.coupling, shapes, axis };
}

/**
 * Validates a model description and returns the normalised {@link Model}. Throws a
 * PhysmlInputError naming the bad field (`spin`, `lattice.square[1]`, `terms[2].coupling`, …).
 *
 * @example
 * const m = defineModel({
 *   spin: "ising",
 *   lattice: { square: [4, 4] },
 *   terms: [
 *     { name: "nn", coupling: 0.3, shapes: [[[0, 0], [1, 0]], [[0, 0], [0, 1]]] },
 *     { name: "triangle", coupling: 0.1, sites: [[0, 0], [1, 0], [0, 1]] },
 *   ],
 * });
 */
export function defineModel(input: ModelInput | Model): Model {
  if (!isObject(input))
    throw new PhysmlInputError("model", "an object { spin, lattice, terms }", typeof input);
  if (isModel(input)) return input;
  checkKeys("model", input, ["spin", "lattice", "terms"]);
  const spin = parseSpin(input.spin);
  const lattice = parseLattice(input.lattice);
  const dim = latticeDimension(lattice);
  const terms = input.terms as unknown;
  if (!Array.isArray(terms) || terms.length < 1 || terms.length > 32) {
    throw new PhysmlInputError(
      "terms",
      "a list of 1 to 32 terms",
      Array.isArray(terms) ? terms.length : typeof terms,
    );
  }
  const parsed = terms.map((t, k) => parseTerm(`terms[${k}]`, t, spin, dim));
  const seen = new Set<string>();
  parsed.forEach((t, k) => {
    if (seen.has(t.name))
      throw new PhysmlInputError(`terms[${k}].name`, "a name used by no other term", t.name);
    seen.add(t.name);
  });
  checkTwist(spin, lattice, parsed);
  return remember(Object.freeze({ spin, lattice, terms: parsed }));
}

const models = new WeakSet<object>();

function isModel(v: object): v is Model {
  return models.has(v);
}

/** Marks a frozen model as validated (so `defineModel(model)` returns it unchanged). */
function remember(m: Model): Model {
  models.add(m);
  return m;
}

/** Same model with new couplings (one per term, in term order); validates them. */
export function withCouplings(model: Model, couplings: ArrayLike<number>): Model {
  if (couplings.length !== model.terms.length) {
    throw new PhysmlInputError("couplings.length", `${model.terms.length} (one per term)`, couplings.length);
  }
  const terms = model.terms.map((t, k) => {
    const c = couplings[k];
    if (typeof c !== "number" || !Number.isFinite(c))
      throw new PhysmlInputError(`couplings[${k}]`, "a finite number", c);
    return { ...t, coupling: c };
  });
  const next = remember(Object.freeze({ spin: model.spin, lattice: model.lattice, terms }));
  inheritGeometry(model, next);
  return next;
}

/** Parses the text of a model JSON file (shape of {@link ModelInput}). */
export function parseModelJson(text: string): Model {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new PhysmlInputError("model", "valid JSON", "unparsable text", (e as Error).message);
  }
  return defineModel(value as ModelInput);
}
