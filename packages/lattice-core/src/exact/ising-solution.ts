// The cheapest exact method that applies to an Ising model description: the transfer matrix for
// a periodic chain whose shapes span at most MAX_TRANSFER_RANGE sites (any length), else full
// enumeration up to a number of sites the caller affords. One rule for every caller, so the
// commands that solve a description exactly agree on when they can.
import { latticeSiteCount } from "../model/geometry.js";
import { checkIsing } from "../model/ising.js";
import type { Model } from "../model/types.js";
import {
  type EnumeratedMoments,
  enumeratedMoments,
  enumerateModel,
  MAX_ENUMERATION_SITES,
} from "./enumerate-model.js";
import { chainSpan, MAX_TRANSFER_RANGE, transferMatrixChain } from "./transfer-matrix.js";

/** What both methods give. */
interface ExactIsingAverages {
  sites: number;
  lnZ: number;
  /** ⟨H⟩ / N (couplings absorbed: dimensionless). */
  reducedEnergyPerSite: number;
  /** ⟨S_t⟩ per term (totals, term order). */
  termMeans: Float64Array;
}

/** An exact solution of an Ising description and the method that gave it. */
export type ExactIsingSolution =
  | ({ method: "transfer matrix" } & ExactIsingAverages)
  | ({ method: "enumeration" } & ExactIsingAverages & EnumeratedMoments);

/**
 * The exact solution of an Ising description by the transfer matrix (periodic chains whose
 * shapes span at most {@link MAX_TRANSFER_RANGE} sites) or by enumeration (at most `maxSites`
 * sites, itself at most {@link MAX_ENUMERATION_SITES}); null when neither applies.
 */
export function exactIsingSolution(
  model: Model,
  maxSites = MAX_ENUMERATION_SITES,
): ExactIsingSolution | null {
  checkIsing(model);
  // From the sides, not the model's tables: a lattice too large to enumerate is refused without
  // building tables of its size.
  const sites = latticeSiteCount(model.lattice);
  const lat = model.lattice;
  if (lat.kind === "chain" && !lat.twist && chainSpan(model) <= MAX_TRANSFER_RANGE) {
    const r = transferMatrixChain(model);
    return { method: "transfer matrix", sites, ...r };
  }
  if (sites > Math.min(maxSites, MAX_ENUMERATION_SITES)) return null;
  const r = enumerateModel(model);
  return {
    method: "enumeration",
    sites,
    lnZ: r.lnZ,
    reducedEnergyPerSite: r.reducedEnergyPerSite,
    termMeans: r.termMeans,
    ...enumeratedMoments(r),
  };
}
