// The README example: 64 chains of the 32×32 Ising model at β = 0.4 on the CPU backend.
import { estimateChains, kaufman, squareLattice } from "@physml/lattice-core";
import { createSampler } from "@physml/mcmc-gpu";

const lattice = squareLattice(32);
const sampler = await createSampler({
  lattice,
  couplings: { nn: 0.4 },
  chains: 64,
  seed: 42,
  backend: "cpu",
});
await sampler.sweep(500); // thermalise (cold start)
const m = await sampler.measure({ sweeps: 2000, every: 2 });
const e = estimateChains(Array.from({ length: m.chains }, (_, c) => m.nnEnergyPerSite(c)));
console.log(`${sampler.kernel} kernel on ${sampler.adapter}`);
console.log(`energy/site ${e.mean.toFixed(5)} ± ${e.error.toFixed(5)} (τ_int ${e.tauInt.toFixed(1)})`);
console.log(`exact       ${kaufman(32, 32, 0.4).energyPerSite.toFixed(5)}`);
await sampler.dispose();
