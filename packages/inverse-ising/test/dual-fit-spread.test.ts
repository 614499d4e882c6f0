// The dual fit's propagated covariance against the spread it claims to describe: with exact
// target correlators (enumeration of the 4×4 torus, zero target covariance) the only noise left
// is the dual sampler's, so fits with different seeds scatter around the true couplings, and
// their Mahalanobis distances d·Cov⁻¹·d must add up to a χ² with 2 degrees of freedom per fit.
import { expect, it } from "vitest";
import { matchDualCouplings } from "../src/index.js";
import { exactDualTarget } from "./exact-dual-target.js";
import { mahalanobis2 } from "./mahalanobis.js";

it("fits over 8 dual seeds scatter as their covariance says (χ² with 16 dof)", async () => {
  const truth = { nn: 0.3, nnn: 0.1 };
  const target = exactDualTarget(truth);
  let chi2 = 0;
  const K = 8;
  for (let seed = 1; seed <= K; seed++) {
    const r = await matchDualCouplings(4, target, { seed, chains: 32, samplesPerChain: 64 });
    chi2 += mahalanobis2(r.covariance?.matrix, [r.tNn - truth.nn, r.tNnn - truth.nnn]);
  }
  // χ²₁₆: P(< 5.14) = P(> 34.27) = 0.5%.
  expect(chi2).toBeGreaterThan(5.14);
  expect(chi2).toBeLessThan(34.27);
}, 120_000);
