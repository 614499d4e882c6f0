// A/B timing of one workload against a copy of src/ (not part of `pnpm bench`):
//   node --conditions=@physml/source --import tsx bench/ab-step.ts SRC_DIR mlp|cy [steps]
// Prints the median wall ms and the mean process CPU ms per step after a warm-up, and a hash of
// the results (values and gradients), so alternating runs of two source trees compare both.
//   node --conditions=@physml/source --import tsx bench/ab-step.ts OLD_DIR NEW_DIR mlp|cy [rounds]
// loads both trees into one process and alternates them (rounds of 25 MLP or 2 CY steps each,
// the order swapped every round), so both see the same machine state and process layout; prints
// the medians and the median of the rounds' new/old ratios.
//   node --conditions=@physml/source --import tsx bench/ab-step.ts SRC_DIR cy cys [rounds]
// does the same for two workloads of one tree: cy (the Hessian workload through the generic
// perSampleHessian) as old against cys (the same loss through mlpInputHessian) as new.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";

type T = import("../src/index.js").Tensor;

/** The workload's step on the tree in `dir`, and a hash of its first result. */
async function workload(dir: string, which: string): Promise<{ step: () => unknown; hash: string }> {
  // The layers live in nn/ (the `/nn` entry); a tree from before that split has them in its entry.
  const nnEntry = path.resolve(dir, "nn", "index.ts");
  const ad = {
    ...(await import(path.resolve(dir, "index.ts"))),
    ...(existsSync(nnEntry) ? await import(nnEntry) : {}),
  } as typeof import("../src/index.js") & typeof import("../src/nn/index.js");
  const B = 1024;
  const net = new ad.MLP([10, 64, 64, 64, 1], { key: ad.random.key(0), activation: "tanh" });
  const X = ad.random.normal(ad.random.key(1), [B, 10]);
  const Y = ad.random.normal(ad.random.key(2), [B, 1]);
  type P = typeof net.params;
  const loss = (p: P) => {
    const d = ad.sub(net.apply(p, X), Y);
    return ad.mean(ad.mul(d, d));
  };
  const fx = (p: P) => (x: T) => ad.reshape(net.apply(p, x), [x.shape[0]]);
  const cyLoss = (p: P) => ad.mean(ad.logdet(ad.perSampleHessian(fx(p))(X)));
  const cysLoss = (p: P) => ad.mean(ad.logdet(ad.mlpInputHessian(p, X)));
  const losses: Record<string, (p: P) => T> = { mlp: loss, cy: cyLoss, cys: cysLoss };
  if (!(which in losses)) throw new Error(`workload: mlp | cy | cys, got ${which}`);
  const step = () => ad.valueAndGrad(losses[which])(net.params);
  const [v, g] = step();
  const h = createHash("sha256").update(v.toFloat64Array());
  for (const t of ad.treeLeaves(g)) h.update((t as T).toFloat64Array());
  return { step, hash: h.digest("hex").slice(0, 16) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const args = process.argv.slice(2);
const load = () => +os.loadavg()[0].toFixed(2);

const twoTrees = args.length >= 3 && existsSync(path.resolve(args[1], "index.ts"));
const twoSteps =
  args.length >= 3 && !twoTrees && args[1] !== undefined && ["mlp", "cy", "cys"].includes(args[2]);
if (twoTrees || twoSteps) {
  const [oldDir, newDir, which, r] = twoTrees ? args : [args[0], args[0], `${args[1]}/${args[2]}`, args[3]];
  const [whichOld, whichNew] = twoTrees ? [which, which] : [args[1], args[2]];
  const rounds = Number(r ?? 40);
  const per = which === "mlp" ? 25 : 2;
  const ws = [await workload(oldDir, whichOld), await workload(newDir, whichNew)];
  for (let i = 0; i < (which === "mlp" ? 40 : 2); i++) for (const w of ws) w.step();
  const wall: number[][] = [[], []];
  const cpu: number[][] = [[], []];
  for (let round = 0; round < rounds; round++) {
    for (const j of round % 2 ? [1, 0] : [0, 1]) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < per; i++) ws[j].step();
      wall[j].push((performance.now() - t0) / per);
      const c = process.cpuUsage(c0);
      cpu[j].push((c.user + c.system) / 1e3 / per);
    }
  }
  const summary = (xs: number[][]) => ({
    old: +median(xs[0]).toFixed(3),
    new: +median(xs[1]).toFixed(3),
    ratio: +median(xs[1].map((x, i) => x / xs[0][i])).toFixed(3),
  });
  console.log(
    JSON.stringify({
      which,
      rounds,
      wall: summary(wall),
      cpu: summary(cpu),
      hashes: ws.map((w) => w.hash),
      load: load(),
    }),
  );
  process.exit(0); // the two trees' matrix-product workers
}

const [dir, which = "mlp", n] = args;
const steps = Number(n ?? (which === "mlp" ? 200 : 12));
const { step, hash } = await workload(dir, which);
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
    hash,
    load: load(),
  }),
);
