import { physmlProject } from "../../vitest.shared.ts";

export default physmlProject("topological-lines");
