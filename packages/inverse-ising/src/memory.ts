// What an inverse-Ising run holds in memory, estimated before anything is read or sampled: the
// sampler's own tables and spins (mcmc-gpu's estimate), every kept configuration twice (one byte a
// spin: the sampler's measurement buffer and the gathered copy), or for a samples file the file
// itself and its spins (at most three times its size). The fit histograms local patterns, whose
// number does not grow with the samples.
import { latticeSiteCount, type Model } from "@physml/lattice-core";
import { estimateModelMemory } from "@physml/mcmc-gpu";

/** Bytes a run sampling `count` configurations of `model` in `chains` chains is estimated to hold. */
export function estimateSamplingMemory(model: Model, o: { chains: number; samplesPerChain: number }): number {
  const sites = latticeSiteCount(model.lattice);
  const sampler = estimateModelMemory(model, { chains: o.chains, samples: o.samplesPerChain }).total;
  return sampler + 2 * o.chains * o.samplesPerChain * sites;
}

/** Bytes a run reading a samples file of `fileBytes` bytes is estimated to hold. */
export function estimateFileMemory(fileBytes: number): number {
  return 3 * fileBytes;
}
