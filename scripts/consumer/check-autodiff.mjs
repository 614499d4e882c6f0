// autodiff from its tarball: a gradient against its closed form, d/dx Σ tanh(x)·x, and each
// subpath entry resolving and doing one job (the layers' parameters through JSON, an SGD step
// against its closed form, the gradient checker, the GPU backend's entry).
import { grad, random, sum, tanh, tensor } from "@physml/autodiff";
import { webgpuBackend } from "@physml/autodiff/gpu";
import { loadParams, MLP, saveParams } from "@physml/autodiff/nn";
import { sgd } from "@physml/autodiff/optim";
import { checkGrads } from "@physml/autodiff/testing";

const xs = [0.5, -1, 2];
const f = (x) => sum(tanh(x).mul(x));
const g = grad(f)(tensor(xs)).toArray();
const want = xs.map((x) => Math.tanh(x) + x * (1 - Math.tanh(x) ** 2));
if (g.some((v, k) => Math.abs(v - want[k]) > 1e-12)) throw new Error(`gradient ${g} vs ${want}`);
console.log(`autodiff: gradient ${g.map((v) => v.toFixed(6)).join(", ")} matches the closed form`);

checkGrads(f, [tensor(xs)], { order: 2 });
const { params } = new MLP([2, 3, 1], { key: random.key(0) });
const back = loadParams(saveParams(params));
const same = params.every((l, i) =>
  ["w", "b"].every((k) => l[k].toArray().flat().join() === back[i][k].toArray().flat().join()),
);
if (!same) throw new Error("autodiff/nn: parameters changed through saveParams/loadParams");
const x = tensor(xs);
const opt = sgd({ lr: 0.1 });
const step = opt.step(x, tensor(g), opt.init(x));
const stepped = step.params.toArray();
if (stepped.some((v, k) => Math.abs(v - (xs[k] - 0.1 * g[k])) > 1e-14))
  throw new Error(`autodiff/optim: sgd step ${stepped}`);
if (typeof webgpuBackend !== "function") throw new Error("autodiff/gpu: webgpuBackend is not a function");
console.log("autodiff: /nn, /optim, /testing and /gpu resolve from the tarball and work");
