// mcmc-gpu from its tarball: a short CPU run against the exact finite-torus energy.
import { estimateChains, kaufman, squareLattice } from "@physml/lattice-core";
import { createSampler } from "@physml/mcmc-gpu";

const sampler = await createSampler({
  lattice: squareLattice(8),
  couplings: { nn: 0.3 },
  chains: 16,
  seed: 1,
  backend: "cpu",
});
await sampler.sweep(200);
const m = await sampler.measure({ sweeps: 1000, every: 1 });
const e = estimateChains(Array.from({ length: m.chains }, (_, c) => m.nnEnergyPerSite(c)));
await sampler.dispose();
const exact = kaufman(8, 8, 0.3).energyPerSite;
const pull = (e.mean - exact) / e.error;
if (!(Math.abs(pull) < 5)) throw new Error(`energy ${e.mean} ± ${e.error} vs exact ${exact} (pull ${pull})`);
console.log(
  `mcmc-gpu: CPU energy/site ${e.mean.toFixed(4)} ± ${e.error.toFixed(4)}, exact ${exact.toFixed(4)}`,
);
