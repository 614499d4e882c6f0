import { physmlProject } from "../vitest.shared.ts";

export default physmlProject("tests", { include: ["src/**/*.test.ts"] });
