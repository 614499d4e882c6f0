// The CLI's modules import one another without a cycle, counting the registry's lazy
// `import("./x.js")` loaders as imports: a command that needs the registry or the CLI itself
// (`physml sweep …`) gets them through `run`'s `cli` argument instead of importing them.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = dirname(fileURLToPath(import.meta.url));

/** The CLI's source files (tests aside), relative to src/. */
function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [relative(SRC, path)] : [];
  });
}

/** The local modules `file` imports at run time: static imports and exports (not `import type`) and `import("…")`. */
function importsOf(file: string, known: Set<string>): string[] {
  const text = readFileSync(join(SRC, file), "utf8");
  const specifiers = [
    ...[...text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+["'](\.[^"']+)["']/gms)]
      .filter((m) => !m[1])
      .map((m) => m[2]),
    ...[...text.matchAll(/import\s*\(\s*["'](\.[^"']+)["']/g)].map((m) => m[1]),
  ];
  return specifiers
    .map((s) => normalize(join(dirname(file), s.replace(/\.js$/, ".ts"))))
    .filter((f) => known.has(f));
}

/** One import cycle among `graph`'s modules (a path that ends where it starts), or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (f: string): string[] | null => {
    if (state.get(f) === "done") return null;
    if (state.get(f) === "open") return [...path.slice(path.indexOf(f)), f];
    state.set(f, "open");
    path.push(f);
    for (const g of graph.get(f) ?? []) {
      const cycle = visit(g);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(f, "done");
    return null;
  };
  for (const f of graph.keys()) {
    const cycle = visit(f);
    if (cycle) return cycle;
  }
  return null;
}

describe("the CLI's module graph", () => {
  it("has no import cycle, lazy loaders included", () => {
    const files = sources();
    expect(files).toContain(join("commands", "sweep-points.ts"));
    const known = new Set(files);
    const graph = new Map(files.map((f) => [f, importsOf(f, known)]));
    // the check sees the registry's lazy loaders (else it would pass on any graph)
    expect(graph.get(join("commands", "index.ts"))).toContain(join("commands", "sweep-points.ts"));
    expect(findCycle(graph)?.join(" → ") ?? "none").toBe("none");
  });

  it("finds a cycle where there is one", () => {
    const graph = new Map([
      ["main.ts", ["commands/index.ts"]],
      ["commands/index.ts", ["commands/sweep.ts"]],
      ["commands/sweep.ts", ["main.ts"]],
    ]);
    expect(findCycle(graph)).toEqual(["main.ts", "commands/index.ts", "commands/sweep.ts", "main.ts"]);
    expect(
      findCycle(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", []],
        ]),
      ),
    ).toBeNull();
  });
});
