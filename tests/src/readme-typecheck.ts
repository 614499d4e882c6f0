// Type-checks README blocks as a user's modules would be: each block is one ES module placed in
// tests/ (whose dependencies are every workspace package), compiled with the workspace's compiler
// options in a single TypeScript program, so the packages' sources are read and bound once.
import { join } from "node:path";
import ts from "typescript";
import type { ReadmeBlock } from "./readme-blocks.ts";

/** What a user's example may import: the public entries of the packages, Node and vitest. */
const ALLOWED_IMPORT = /^(@physml\/[a-z0-9-]+(\/[a-z0-9-]+)?|node:[a-z/_]+|vitest)$/;

/** The problems of one block: compiler errors and disallowed imports, as `README:line: text`. */
export interface BlockProblems {
  block: ReadmeBlock;
  problems: string[];
}

/** The module file standing for a block; it exists only in the compiler host. */
function virtualPath(root: string, b: ReadmeBlock): string {
  return join(root, "tests", "readme-examples", `${b.readme.replace(/[/.]/g, "_")}_L${b.line}.ts`);
}

function disallowedImports(sf: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  for (const st of sf.statements) {
    if ((ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier) {
      if (ts.isStringLiteral(st.moduleSpecifier)) specifiers.push(st.moduleSpecifier.text);
    }
  }
  return specifiers.filter((s) => !ALLOWED_IMPORT.test(s));
}

/**
 * Compiles `blocks` (those without a not-compiled marker) in one program rooted at `root` (the
 * repository) and returns every block with its problems; a line number in a problem is the
 * README's line.
 */
export function typecheckBlocks(root: string, blocks: readonly ReadmeBlock[]): BlockProblems[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tests", "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!config) throw new Error("tests/tsconfig.json could not be read");
  // A block without imports would otherwise be a script sharing one global scope with the others.
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    moduleDetection: ts.ModuleDetectionKind.Force,
  };
  const compiled = blocks.filter((b) => b.notCompiled === undefined);
  const sources = new Map(compiled.map((b) => [virtualPath(root, b), b]));
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => sources.has(f) || fileExists.call(host, f);
  host.readFile = (f) => sources.get(f)?.code ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, onError, create) => {
    const b = sources.get(f);
    return b
      ? ts.createSourceFile(f, b.code, lang, true, ts.ScriptKind.TS)
      : getSourceFile.call(host, f, lang, onError, create);
  };
  const program = ts.createProgram({ rootNames: [...sources.keys()], options, host });
  const byBlock = new Map<ReadmeBlock, string[]>(blocks.map((b) => [b, []]));
  for (const [file, b] of sources) {
    const sf = program.getSourceFile(file);
    if (!sf) throw new Error(`${b.readme}:${b.line}: the compiler lost the block`);
    const problems = byBlock.get(b)!;
    for (const s of disallowedImports(sf)) {
      problems.push(
        `${b.readme}:${b.line}: imports "${s}"; examples import public entries (@physml/<pkg>), node: or vitest`,
      );
    }
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      // The block's body starts on the line after the fence.
      const line =
        d.start === undefined ? b.line : b.line + 1 + sf.getLineAndCharacterOfPosition(d.start).line;
      problems.push(
        `${b.readme}:${line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
      );
    }
  }
  return [...byBlock].map(([block, problems]) => ({ block, problems }));
}
