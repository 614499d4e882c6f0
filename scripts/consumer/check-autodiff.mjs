// autodiff from its tarball: a gradient against its closed form, d/dx Σ tanh(x)·x.
import { grad, sum, tanh, tensor } from "@physml/autodiff";

const xs = [0.5, -1, 2];
const g = grad((x) => sum(tanh(x).mul(x)))(tensor(xs)).toArray();
const want = xs.map((x) => Math.tanh(x) + x * (1 - Math.tanh(x) ** 2));
if (g.some((v, k) => Math.abs(v - want[k]) > 1e-12)) throw new Error(`gradient ${g} vs ${want}`);
console.log(`autodiff: gradient ${g.map((v) => v.toFixed(6)).join(", ")} matches the closed form`);
