// dual-representations from its tarball: the dual-variable partition function of a 6-spin chain
// on 50 sites against lattice-core's transfer matrix.

import { dualPartition, instanceCouplings, instanceSites, nSpinChain } from "@physml/dual-representations";
import { transferMatrixChain } from "@physml/lattice-core";

const m = nSpinChain(50, 6, 0.8);
const d = dualPartition(instanceSites(m), instanceCouplings(m), 50);
const t = transferMatrixChain(m).lnZ;
if (!(Math.abs(d.lnZ - t) < 1e-9 * Math.abs(t))) throw new Error(`ln Z ${d.lnZ} vs transfer matrix ${t}`);
console.log(
  `dual-representations: 6-spin chain on 50 sites, ln Z ${d.lnZ.toFixed(9)} (transfer matrix ${t.toFixed(9)})`,
);
