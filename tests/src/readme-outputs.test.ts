// The READMEs' examples print what the READMEs say they print. A block followed by a paragraph
// ending in "printed:" and a bare fence is run as a user would run it (a module inside the
// workspace, `node --conditions=@physml/source --import tsx`) and its stdout compared with that
// fence character for character: the packages claim the same results for the same seed, and an
// example whose digits drift (a changed rule, a changed default) should fail here.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { extractTsBlocks, readmeBlocks } from "./readme-blocks.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
// Inside tests/, so that the example's `@physml/*` imports resolve as in a workspace package.
const dir = mkdtempSync(join(root, "tests", ".readme-run-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("extraction: the printed output of a block, and only after a paragraph ending in printed:", () => {
  const md = [
    "```ts", //                        1
    "console.log(1);", //              2
    "```", //                          3
    "", //                             4
    "Run with tsx, it printed:", //    5
    "", //                             6
    "```", //                          7
    "1", //                            8
    "```", //                          9
    "```ts", //                       10
    "console.log(2);", //             11
    "```", //                         12
    "It prints a number:", //         13
    "```sh", //                       14
    "2", //                           15
    "```", //                         16
  ].join("\n");
  const [a, b] = extractTsBlocks(md, "R.md");
  expect(a.printed).toEqual({ line: 7, text: "1" });
  expect(b.printed).toBeUndefined();
  expect(() => extractTsBlocks("```ts\nx\n```\nit printed:\n```\n1", "R.md")).toThrow(
    /R.md:5: .* never closes/,
  );
});

const withOutput = readmeBlocks(root).filter((b) => b.printed !== undefined);

test("the READMEs have examples with printed output to check", () => {
  // autodiff's README documents eight examples with what they printed.
  expect(withOutput.filter((b) => b.readme === "packages/autodiff/README.md").length).toBeGreaterThanOrEqual(
    8,
  );
});

describe("every example prints what its README says", () => {
  for (const b of withOutput) {
    test(`${b.readme}:${b.line}`, () => {
      const file = join(dir, `${b.readme.replace(/[/.]/g, "_")}_L${b.line}.ts`);
      writeFileSync(file, `${b.code}\n`);
      const stdout = execFileSync(
        process.execPath,
        ["--conditions=@physml/source", "--import", "tsx", file],
        {
          cwd: join(root, "tests"),
          encoding: "utf8",
          timeout: 120_000,
        },
      );
      expect(stdout.trimEnd(), `${b.readme}:${b.printed!.line}: the output the README shows`).toBe(
        b.printed!.text.trimEnd(),
      );
    });
  }
});
