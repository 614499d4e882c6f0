import { strykerConfig } from "../../stryker.shared.mjs";

// Issue 17's areas for this package: the acceptance rule, the CPU engine and kernels, the random-number generators and tempering.
export default strykerConfig(["src/acceptance.ts", "src/cpu/**/*.ts", "src/rng/**/*.ts", "src/tempering.ts"]);
