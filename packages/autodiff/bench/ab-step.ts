// A/B timing of one workload against a copy of src/ (not part of `pnpm bench`):
//   node --conditions=@physml/source --import tsx bench/ab-step.ts SRC_DIR mlp|cy [steps]
// Prints the median wall ms and the mean process CPU ms per step after a warm-up, and a hash of
// the results (values and gradients), so alternating runs of two source trees compare both.
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";

const [dir, which = "mlp", n] = process.argv.slice(2);
const ad = (await import(path.resolve(dir, "index.ts"))) as typeof import("../src/index.js");
const steps = Number(n ?? (which === "mlp" ? 200 : 12));
const B = 1024;
const net = new ad.MLP([10, 64, 64, 64, 1], { key: ad.random.key(0), activation: "tanh" });
const X = ad.random.normal(ad.random.key(1), [B, 10]);
const Y = ad.random.normal(ad.random.key(2), [B, 1]);
type P = typeof net.params;
type T = import("../src/index.js").Tensor;
const loss = (p: P) => {
  const d = ad.sub(net.apply(p, X), Y);
  return ad.mean(ad.mul(d, d));
};
const fx = (p: P) => (x: T) => ad.reshape(net.apply(p, x), [x.shape[0]]);
const cyLoss = (p: P) => ad.mean(ad.logdet(ad.perSampleHessian(fx(p))(X)));
const step =
  which === "mlp" ? () => ad.valueAndGrad(loss)(net.params) : () => ad.valueAndGrad(cyLoss)(net.params);
const [v, g] = step();
const h = createHash("sha256").update(v.toFloat64Array());
for (const t of ad.treeLeaves(g)) h.update((t as T).toFloat64Array());
for (let i = 0; i < (which === "mlp" ? 40 : 2); i++) step();
const ts: number[] = [];
const c0 = process.cpuUsage();
for (let i = 0; i < steps; i++) {
  const t = performance.now();
  step();
  ts.push(performance.now() - t);
}
const c = process.cpuUsage(c0);
ts.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    src: dir,
    which,
    ms: +ts[ts.length >> 1].toFixed(3),
    cpu: +((c.user + c.system) / 1e3 / steps).toFixed(3),
    hash: h.digest("hex").slice(0, 16),
    load: +os.loadavg()[0].toFixed(2),
  }),
);
