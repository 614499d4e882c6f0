import { strykerConfig } from "../../stryker.shared.mjs";

// Issue 17's areas for this package: statistics, the model and training.
export default strykerConfig(["src/stats/**/*.ts", "src/model/**/*.ts", "src/train/**/*.ts"]);
