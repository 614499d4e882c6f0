// Samples of an Ising model description: M configurations of N spins, [sample][site], with the
// site order of lattice-core (x fastest). Validated once here so the fit can trust them.
import { type Model, modelTables, type NpyArray, PhysmlInputError, readNpy } from "@physml/lattice-core";

/** M configurations of N = `sites` spins ±1, stored [sample][site]. */
export interface Samples {
  readonly spins: Int8Array;
  readonly count: number;
  readonly sites: number;
}

/**
 * Checks that `spins` holds whole configurations of the model's lattice with every value ±1;
 * errors name the field (`samples.length`, `samples[17]`) and the allowed values.
 */
export function checkSamples(model: Model, spins: Int8Array, field = "samples"): Samples {
  if (model.spin.kind !== "ising") throw new PhysmlInputError("model.spin", '"ising"', `on(${model.spin.n})`);
  const N = modelTables(model).lattice.nSites;
  if (!(spins instanceof Int8Array)) {
    throw new PhysmlInputError(
      field,
      "an Int8Array of ±1, [sample][site]",
      Object.prototype.toString.call(spins),
    );
  }
  if (spins.length === 0 || spins.length % N !== 0) {
    throw new PhysmlInputError(
      `${field}.length`,
      `a positive multiple of the ${N} sites of the model's lattice`,
      spins.length,
    );
  }
  for (let k = 0; k < spins.length; k++) {
    const v = spins[k];
    if (v !== 1 && v !== -1) {
      throw new PhysmlInputError(
        `${field}[${k}]`,
        "±1 (Ising spins)",
        v,
        `sample ${Math.floor(k / N)}, site ${k % N}`,
      );
    }
  }
  return { spins, count: spins.length / N, sites: N };
}

/**
 * Samples from a `.npy` array of any numeric dtype: shape [M, Ly, Lx] (square), [M, L] (chain),
 * [M, Lz, Ly, Lx] (cubic) or [M, N], every value exactly ±1 (a 0/1 file is rejected: which value
 * is up would be a guess).
 */
export function samplesFromNpy(
  model: Model,
  array: { data: NpyArray; shape: readonly number[]; dtype: string },
  field = "samples",
): Samples {
  const lat = modelTables(model).lattice;
  const N = lat.nSites;
  const { data, shape, dtype } = array;
  const sides = [...lat.sides].reverse();
  const perSample = shape.slice(1);
  const okShape =
    shape.length >= 2 &&
    perSample.reduce((a, b) => a * b, 1) === N &&
    (perSample.length === 1 || perSample.every((n, d) => n === sides[d]));
  if (!okShape) {
    throw new PhysmlInputError(
      field,
      `an array of shape [M, ${sides.join(", ")}] or [M, ${N}] for the model's lattice`,
      `(${shape.join(", ")})`,
      `shape (${shape.join(", ")}), dtype ${dtype}`,
    );
  }
  const spins = new Int8Array(data.length);
  for (let k = 0; k < data.length; k++) {
    const v = Number(data[k]);
    if (v !== 1 && v !== -1) {
      throw new PhysmlInputError(
        `${field}[${k}]`,
        "±1 (Ising spins)",
        v,
        `${v} at sample ${Math.floor(k / N)}, site ${k % N}; dtype ${dtype}`,
      );
    }
    spins[k] = v;
  }
  return checkSamples(model, spins, field);
}

/**
 * Reads samples from a `.npy` file (see {@link samplesFromNpy}); its errors are the `samples`
 * option's, the one that gave the path (`samples[17]`, `samples`), with the position or the shape
 * in their detail.
 */
export async function readSamples(model: Model, path: string): Promise<Samples> {
  return samplesFromNpy(model, await readNpy(path, "samples"), "samples");
}
