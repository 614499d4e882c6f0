// gpu-device from its tarball: the CPU choice never touches the GPU; the test policy loads.
import { resolveBackend } from "@physml/gpu-device";
import { gpuPromised } from "@physml/gpu-device/testing";

const b = await resolveBackend("cpu");
if (b.kind !== "cpu") throw new Error(`backend ${b.kind}`);
if (gpuPromised({}) !== false) throw new Error("empty environment promised a GPU");
console.log("gpu-device: backend choice and test policy load");
