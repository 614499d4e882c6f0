// Writes src/webgpu/wgsl-sources.generated.ts from the repository's shaders/*.wgsl.
import { writeFileSync } from "node:fs";
import { readWgslFiles, WGSL_MODULE_PATH, wgslModule } from "./wgsl-module.js";

const files = readWgslFiles();
writeFileSync(WGSL_MODULE_PATH, wgslModule(files));
console.log(`wrote ${WGSL_MODULE_PATH} (${files.size} WGSL files)`);
