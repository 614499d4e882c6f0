// The CLI declares only what its source imports: each dependency in package.json is imported by
// at least one non-test source file (a dropped import must drop its dependency too).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL(".", import.meta.url));
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [readFileSync(join(dir, e.name), "utf8")]
        : [],
  );
}

describe("@physml/cli package.json", () => {
  it("every declared dependency is imported by the CLI's source", () => {
    const text = sources(SRC).join("\n");
    const declared = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    expect(declared.length).toBeGreaterThan(0);
    for (const d of declared) {
      expect(text, d).toMatch(new RegExp(`from "${d.replace("/", "\\/")}(/[^"]*)?"`));
    }
  });
});
