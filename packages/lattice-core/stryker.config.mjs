import { strykerConfig } from "../../stryker.shared.mjs";

// Issue 17's areas for this package: the whole package.
export default strykerConfig(["src/**/*.ts"]);
