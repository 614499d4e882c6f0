// Compiled by the consumer test under NodeNext and bundler resolution without skipLibCheck:
// every package's declarations must resolve, including the WebGPU types gpu-device exposes.
import { grad, type Tensor, tensor } from "@physml/autodiff";
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
export const used = [runDuality, createSampler, moduleBytes, testGpuContext, inverseIsing];
