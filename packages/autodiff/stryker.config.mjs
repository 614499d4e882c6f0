import { strykerConfig } from "../../stryker.shared.mjs";

export default strykerConfig([
  "src/ops/**/*.ts",
  "src/transforms/**/*.ts",
  "src/optim/**/*.ts",
  "src/nn/**/*.ts",
]);
