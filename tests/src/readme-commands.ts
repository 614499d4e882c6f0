// The `physml` command lines of the READMEs, as a user copies them: lines of ```sh, ```bash and
// unlabelled fences, `$ ` lines of ```console fences, and inline code spans, each read into shell
// words (quotes, `\` continuations, comments, pipes and redirections as a shell reads them), with
// the line it starts on, so a failing check points at the README line.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readmePaths } from "./readme-blocks.ts";

/** One `physml` command line of a README. */
export interface ReadmeCommand {
  /** The file, relative to the repository root (`packages/runs/README.md`). */
  readme: string;
  /** 1-based line where the command starts. */
  line: number;
  /** The command as written (continuations joined, comment dropped). */
  text: string;
  /** The words after `physml` (`["duality", "kw", "--beta", "0.3"]`), up to a pipe or redirection. */
  args: string[];
  /** Where it was found: a fenced block or an inline code span. */
  source: "fence" | "inline";
}

const FENCE_OPEN = /^\s*```(sh|bash|console|shell)?\s*$/;
const ANY_FENCE = /^\s*```/;
/** `physml`, `pnpm physml` or `pnpm -s physml`, after optional `VAR=value` assignments. */
const PREFIX = /^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:pnpm\s+(?:-s\s+)?)?physml(?=\s|$)/;
/** Words that end the command for the shell: pipes, lists, redirections, background. */
const ENDS = /^(?:\||\|\||&|&&|;|\d?>>?|<)$/;

/**
 * The shell words of `text`: whitespace-separated, with '…' and "…" quoting, an unquoted `#`
 * after a blank starting a comment, and a `<placeholder with spaces>` kept as one word.
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (/\s/.test(c)) {
      if (cur !== null) words.push(cur);
      cur = null;
    } else if (c === "#" && cur === null) {
      break;
    } else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`an unclosed ${c} in: ${text}`);
      cur = (cur ?? "") + text.slice(i + 1, end);
      i = end;
    } else if (c === "<" && cur === null && text.indexOf(">", i) > 0 && !/^<\s/.test(text.slice(i))) {
      const end = text.indexOf(">", i);
      cur = text.slice(i, end + 1);
      i = end;
    } else {
      cur = (cur ?? "") + c;
    }
  }
  if (cur !== null) words.push(cur);
  return words;
}

/** A command line's text as a ReadmeCommand, or null when it does not run `physml`. */
function commandOf(
  text: string,
  readme: string,
  line: number,
  source: ReadmeCommand["source"],
): ReadmeCommand | null {
  const m = PREFIX.exec(text.trim());
  if (!m) return null;
  const words = shellWords(text.trim().slice(m[0].length));
  // Inside a synopsis's `[a | b]` a `|` separates alternatives; elsewhere it is a pipe.
  let depth = 0;
  const end = words.findIndex((w) => {
    const ends = depth === 0 && ENDS.test(w);
    depth += (w.match(/\[/g)?.length ?? 0) - (w.match(/\]/g)?.length ?? 0);
    return ends;
  });
  const args = end < 0 ? words : words.slice(0, end);
  const shown = text.trim().replace(/\s+#\s.*$/, "");
  return { readme, line, text: shown, args, source };
}

/** The `physml` command lines of one markdown text, fenced and inline, in order. */
export function extractCommands(markdown: string, readme: string): ReadmeCommand[] {
  const lines = markdown.split(/\r?\n/);
  const out: ReadmeCommand[] = [];
  // Prose outside fences, with its line numbers, for the inline spans (which may wrap a line).
  const prose: { text: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!ANY_FENCE.test(lines[i])) {
      prose.push({ text: lines[i], line: i + 1 });
      continue;
    }
    // An unlabelled fence is read as shell too: several READMEs show their commands in one.
    const lang = FENCE_OPEN.exec(lines[i]) ? (FENCE_OPEN.exec(lines[i])?.[1] ?? "sh") : undefined;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    if (end === lines.length) throw new Error(`${readme}:${i + 1}: a fence that never closes`);
    if (lang) {
      for (let k = i + 1; k < end; k++) {
        const start = k;
        let text = lines[k];
        if (text.trimStart().startsWith("$ ")) text = text.trimStart().slice(2);
        else if (lang === "console") continue;
        while (/\\\s*$/.test(text) && k + 1 < end)
          text = `${text.replace(/\\\s*$/, "")} ${lines[++k].trim()}`;
        const c = commandOf(text, readme, start + 1, "fence");
        if (c) out.push(c);
      }
    }
    i = end;
  }
  // Inline spans: runs of one or more backticks closed by the same run, across line breaks of a
  // paragraph; `\|` is a table cell's escaped `|`.
  const joined = prose.map((p) => p.text).join("\n");
  const lineAt = (offset: number) => prose[joined.slice(0, offset).split("\n").length - 1].line;
  for (const m of joined.matchAll(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g)) {
    const text = m[2].replace(/\\\|/g, "|").replace(/\s+/g, " ");
    const c = commandOf(text, readme, lineAt(m.index), "inline");
    if (c) out.push(c);
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * The READMEs and the markdown files they link beside them (MEASUREMENTS.md, PERFORMANCE.md,
 * *-EXPERIMENTS.md, …), relative to `root`; changelogs are history, not instructions.
 */
export function commandDocPaths(root: string): string[] {
  const paths = readmePaths(root);
  const seen = new Set(paths);
  for (const p of readmePaths(root)) {
    const md = readFileSync(join(root, p), "utf8");
    for (const m of md.matchAll(/\]\((?:\.\/)?([A-Za-z0-9_.-]+\.md)(?:#[^)]*)?\)/g)) {
      const q = join(dirname(p), m[1]);
      if (!seen.has(q) && !/CHANGELOG/.test(q) && existsSync(join(root, q))) {
        seen.add(q);
        paths.push(q);
      }
    }
  }
  return paths;
}

/** Every `physml` command line of the documentation under `root`. */
export function readmeCommands(root: string): ReadmeCommand[] {
  return commandDocPaths(root).flatMap((p) => extractCommands(readFileSync(join(root, p), "utf8"), p));
}
