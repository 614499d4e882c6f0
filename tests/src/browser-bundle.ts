// Bundles code for a browser the way an application's bundler does: esbuild with platform
// "browser", so every package resolves through its `browser` export condition (here on the
// TypeScript sources, through `@physml/source`). Lists each Node built-in or Dawn (`webgpu`)
// import the bundle reaches, with the module that imports it, instead of failing on the first.
import { builtinModules } from "node:module";
import { build } from "esbuild";

/** One import a browser cannot satisfy, and the file it was reached from. */
export interface NodeOnlyImport {
  module: string;
  importer: string;
}

/** The bundle of {@link bundleForBrowser}. */
export interface BrowserBundle {
  /** The ES module, with every Node-only import left external. */
  code: string;
  /** Node built-ins and Dawn imports reached, in the order found. */
  nodeOnly: NodeOnlyImport[];
  /** Names the bundle exports. */
  exports: string[];
}

const BUILTINS = new Set(builtinModules);

function nodeOnly(path: string): boolean {
  return path.startsWith("node:") || BUILTINS.has(path) || path === "webgpu" || path.startsWith("webgpu/");
}

/** Bundles the ES module `source` (imports resolved from `resolveDir`) for a browser. */
export async function bundleForBrowser(source: string, resolveDir: string): Promise<BrowserBundle> {
  const reached: NodeOnlyImport[] = [];
  const result = await build({
    stdin: { contents: source, resolveDir, loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    conditions: ["@physml/source"],
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [
      {
        name: "node-only-imports",
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (!nodeOnly(args.path)) return undefined;
            reached.push({ module: args.path, importer: args.importer });
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const [output] = Object.values(result.metafile.outputs);
  return { code: result.outputFiles[0].text, nodeOnly: reached, exports: output.exports };
}
