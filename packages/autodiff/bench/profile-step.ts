// CPU-profile helper for the two PyTorch workloads (not part of `pnpm bench`):
//   node --cpu-prof --cpu-prof-dir=DIR --conditions=@physml/source --import tsx bench/profile-step.ts mlp|cy [steps]
// then `node bench/profile-summary.mjs DIR/*.cpuprofile` for self time by function.
import {
  logdet,
  mean,
  mul,
  perSampleHessian,
  random,
  reshape,
  sub,
  type Tensor,
  valueAndGrad,
} from "../src/index.js";
import { MLP } from "../src/nn/index.js";

const which = process.argv[2] ?? "mlp";
const steps = Number(process.argv[3] ?? (which === "mlp" ? 400 : 20));
const B = 1024;
const net = new MLP([10, 64, 64, 64, 1], { key: random.key(0), activation: "tanh" });
const X = random.normal(random.key(1), [B, 10]);
const Y = random.normal(random.key(2), [B, 1]);
type P = typeof net.params;
const loss = (p: P) => {
  const d = sub(net.apply(p, X), Y);
  return mean(mul(d, d));
};
const fx = (p: P) => (x: Tensor) => reshape(net.apply(p, x), [x.shape[0]]);
const cyLoss = (p: P) => mean(logdet(perSampleHessian(fx(p))(X)));
const step = which === "mlp" ? () => valueAndGrad(loss)(net.params) : () => valueAndGrad(cyLoss)(net.params);
const t0 = performance.now();
for (let i = 0; i < steps; i++) step();
console.log(
  `${which}: ${((performance.now() - t0) / steps).toFixed(2)} ms/step (mean of ${steps}, with warm-up)`,
);
