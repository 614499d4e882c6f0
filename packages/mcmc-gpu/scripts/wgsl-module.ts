// The WGSL files of the repository's shaders/ as one TypeScript module of strings: the .wgsl
// files stay the source editors and the docs point at, and mcmc-gpu imports the module, so it
// reads no file at run time (a browser bundle works, and the package ships no shaders/ copy).
// `pnpm --filter @physml/mcmc-gpu wgsl` writes the module; wgsl-sources.test.ts checks that
// the checked-in one matches the files.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** The repository's WGSL sources. */
export const SHADER_DIR = resolve(here, "../../../shaders");

/** The generated module, checked in. */
export const WGSL_MODULE_PATH = resolve(here, "../src/webgpu/wgsl-sources.generated.ts");

/** The command that rewrites {@link WGSL_MODULE_PATH} from {@link SHADER_DIR}. */
export const REGENERATE_COMMAND = "pnpm --filter @physml/mcmc-gpu wgsl";

/** Every `.wgsl` file of `dir` by name, in name order. */
export function readWgslFiles(dir: string = SHADER_DIR): Map<string, string> {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith(".wgsl"))
    .sort();
  return new Map(names.map((n) => [n, readFileSync(join(dir, n), "utf8")]));
}

/** `text` as a template literal that evaluates to exactly `text`. */
function templateLiteral(text: string): string {
  return `\`${text.replace(/[`\\]/g, "\\$&").replace(/\$\{/g, "\\${")}\``;
}

/** The module's text: `WgslFile` (the names) and `WGSL_SOURCES` (name → source), formatted as biome formats it. */
export function wgslModule(files: ReadonlyMap<string, string>): string {
  const names = [...files.keys()];
  return `// Generated from the repository's shaders/*.wgsl by \`${REGENERATE_COMMAND}\`
// (scripts/generate-wgsl.ts); edit the .wgsl files and regenerate, never this file.

/** The name of a WGSL file of the repository's shaders/. */
export type WgslFile =
${names.map((n) => `  | ${JSON.stringify(n)}`).join("\n")};

/** The WGSL source of every file of shaders/, by name. */
export const WGSL_SOURCES: Readonly<Record<WgslFile, string>> = {
${names.map((n) => `  ${JSON.stringify(n)}: ${templateLiteral(files.get(n) as string)},`).join("\n")}
};
`;
}
