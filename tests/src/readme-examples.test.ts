// The READMEs' TypeScript examples compile as written: users copy them, and an API change that
// forgets a README should fail here, not in a user's editor. Blocks are type-checked (not run)
// in one TypeScript program; a block that cannot compile on purpose says why in a
// `<!-- not-compiled: reason -->` comment on the line before its fence.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { extractTsBlocks, type ReadmeBlock, readmeBlocks, readmePaths } from "./readme-blocks.ts";
import { typecheckBlocks } from "./readme-typecheck.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

test("extraction: indented fences, line numbers, the not-compiled marker", () => {
  const md = [
    "# t", //                                  1
    "```ts", //                                2
    'import { a } from "@physml/x";', //       3
    "```", //                                  4
    "- item", //                               5
    "", //                                     6
    "  ```typescript", //                      7
    "  const x = 1;", //                       8
    "    const y = 2;", //                     9
    "  ```", //                               10
    "<!-- not-compiled: pseudo-code -->", //  11
    "", //                                    12
    "```ts", //                               13
    "f(…)", //                                14
    "```", //                                 15
    "```sh", //                               16
    "physml --help", //                       17
    "```", //                                 18
  ].join("\n");
  expect(extractTsBlocks(md, "R.md")).toEqual([
    { readme: "R.md", line: 2, code: 'import { a } from "@physml/x";' },
    { readme: "R.md", line: 7, code: "const x = 1;\n  const y = 2;" },
    { readme: "R.md", line: 13, code: "f(…)", notCompiled: "pseudo-code" },
  ]);
  expect(() => extractTsBlocks("<!-- not-compiled: -->\n```ts\nx\n```", "R.md")).toThrow(/gives no reason/);
  expect(() => extractTsBlocks("```ts\nx", "R.md")).toThrow(/R.md:1: .* never closes/);
});

test("every TypeScript block of every README type-checks against the packages' public entries", () => {
  const blocks = readmeBlocks(root);
  // An independent count of the fences, so a broken extractor cannot pass by finding nothing.
  const fences = readmePaths(root)
    .map((p) => readFileSync(`${root}/${p}`, "utf8").match(/^\s*```(ts|typescript)\s*$/gm)?.length ?? 0)
    .reduce((a, b) => a + b, 0);
  expect(blocks.length).toBe(fences);
  expect(blocks.length).toBeGreaterThan(0);
  // Blocks that must fail, checked in the same program (one compile): the guard notices a symbol a
  // package does not export, an import past the public entries and a type error, and skips a
  // marked block.
  const probe = (line: number, code: string, notCompiled?: string): ReadmeBlock => ({
    readme: "probe.md",
    line,
    code,
    ...(notCompiled ? { notCompiled } : {}),
  });
  const probes = [
    probe(1, 'import { noSuchExport } from "@physml/lattice-core";\nnoSuchExport();'),
    probe(10, 'import { BETA_C } from "@physml/lattice-core/src/index.ts";\nconsole.log(BETA_C);'),
    probe(20, 'import { dualCoupling } from "@physml/lattice-core";\nconst s: string = dualCoupling(0.3);'),
    probe(30, "this is not TypeScript (", "a probe"),
  ];
  const results = typecheckBlocks(root, [...blocks, ...probes]);
  const problemsOf = (b: ReadmeBlock) => results.find((r) => r.block === b)!.problems;
  expect(problemsOf(probes[0]).join("\n")).toMatch(/probe.md:2: TS2305 .*noSuchExport/);
  expect(problemsOf(probes[1]).join("\n")).toMatch(
    /probe.md:10: imports "@physml\/lattice-core\/src\/index.ts"/,
  );
  expect(problemsOf(probes[2]).join("\n")).toMatch(
    /probe.md:22: TS2322 .*number.* not assignable to .*string/,
  );
  expect(problemsOf(probes[3])).toEqual([]);
  expect(blocks.flatMap(problemsOf)).toEqual([]);
});
