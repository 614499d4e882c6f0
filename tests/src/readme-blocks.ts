// The TypeScript examples of the READMEs, as a user copies them: every ```ts / ```typescript
// fence (indented fences in lists too, dedented), with the line it starts on, so a failing check
// points at the README line rather than at a generated file.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One fenced TypeScript block of a README. */
export interface ReadmeBlock {
  /** The README, relative to the repository root (`packages/autodiff/README.md`). */
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The block's text, dedented by the fence's indentation. */
  code: string;
  /** The reason given by a `<!-- not-compiled: reason -->` marker just before the fence, if any. */
  notCompiled?: string;
  /**
   * What the README says the block printed: the bare fence after it when the text between the two
   * ends with `printed:` (as in "Run with …, it printed:"), with the line of that fence.
   */
  printed?: { line: number; text: string };
}

const OPEN = /^(\s*)```(?:ts|typescript)\s*$/;
const CLOSE = /^\s*```\s*$/;
const NOT_COMPILED = /^\s*<!--\s*not-compiled:\s*(.*?)\s*-->\s*$/;
const BARE_FENCE = /^```\s*$/;
/** How far after a block its "printed:" paragraph may run before the output fence. */
const PRINTED_WITHIN = 8;

/** The output fence after the block closing at `end`, when the paragraph between ends in "printed:". */
function printedAfter(lines: string[], end: number, readme: string): ReadmeBlock["printed"] {
  let j = end + 1;
  while (j < lines.length && j - end <= PRINTED_WITHIN && !lines[j].trimStart().startsWith("```")) j++;
  if (j >= lines.length || !BARE_FENCE.test(lines[j])) return undefined;
  const between = lines
    .slice(end + 1, j)
    .join(" ")
    .trim();
  if (!between.endsWith("printed:")) return undefined;
  let close = j + 1;
  while (close < lines.length && !CLOSE.test(lines[close])) close++;
  if (close === lines.length) throw new Error(`${readme}:${j + 1}: an output block that never closes`);
  return { line: j + 1, text: lines.slice(j + 1, close).join("\n") };
}

/** The TypeScript blocks of one README's text, in order. */
export function extractTsBlocks(markdown: string, readme: string): ReadmeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    let end = i + 1;
    while (end < lines.length && !CLOSE.test(lines[end])) end++;
    if (end === lines.length) throw new Error(`${readme}:${i + 1}: a \`\`\`ts block that never closes`);
    const code = lines
      .slice(i + 1, end)
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join("\n");
    // The marker must sit on the last non-blank line before the fence, so it cannot drift away
    // from the block it excuses.
    let prev = i - 1;
    while (prev >= 0 && lines[prev].trim() === "") prev--;
    const marker = prev >= 0 ? NOT_COMPILED.exec(lines[prev]) : null;
    if (marker && marker[1] === "")
      throw new Error(`${readme}:${prev + 1}: a not-compiled marker gives no reason`);
    const printed = printedAfter(lines, end, readme);
    blocks.push({
      readme,
      line: i + 1,
      code,
      ...(marker ? { notCompiled: marker[1] } : {}),
      ...(printed ? { printed } : {}),
    });
    i = end;
  }
  return blocks;
}

/** The READMEs users read: the root one and one per package and app that has one. */
export function readmePaths(root: string): string[] {
  const paths = ["README.md"];
  for (const dir of ["packages", "apps"]) {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const p = `${dir}/${name}/README.md`;
      if (existsSync(join(root, p))) paths.push(p);
    }
  }
  return paths;
}

/** Every TypeScript block of every README under `root`. */
export function readmeBlocks(root: string): ReadmeBlock[] {
  return readmePaths(root).flatMap((p) => extractTsBlocks(readFileSync(join(root, p), "utf8"), p));
}
