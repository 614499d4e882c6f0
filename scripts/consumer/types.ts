// Compiled by the consumer test under NodeNext and bundler resolution without skipLibCheck:
// every package's declarations must resolve, including the WebGPU types gpu-device exposes.
import { grad, random, type Tensor, tensor } from "@physml/autodiff";
import type { WebGpuBackend } from "@physml/autodiff/gpu";
import { MLP } from "@physml/autodiff/nn";
import { type AdamState, adam, type Optimizer } from "@physml/autodiff/optim";
import { checkGrads } from "@physml/autodiff/testing";
import { runDuality } from "@physml/duality-learner";
import type { GpuContext } from "@physml/gpu-device";
import { testGpuContext } from "@physml/gpu-device/testing";
import { inverseIsing } from "@physml/inverse-ising";
import { kaufman } from "@physml/lattice-core";
import { createSampler } from "@physml/mcmc-gpu";
import { moduleBytes } from "@physml/wasm-encode";

export const device = (c: GpuContext): GPUDevice => c.device;
export const e: number = kaufman(4, 4, 0.3).energyPerSite;
export const g: Tensor = grad((x: Tensor) => x.mul(x))(tensor([1]));
export const net: MLP = new MLP([2, 1], { key: random.key(0) });
export const opt: Optimizer<AdamState> = adam({ lr: 1e-3 });
export type Backend = WebGpuBackend;
export const used = [runDuality, createSampler, moduleBytes, testGpuContext, inverseIsing, checkGrads];
