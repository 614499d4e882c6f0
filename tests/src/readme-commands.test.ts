// The READMEs' `physml` command lines read as written: users paste them, and a renamed or removed
// flag, command or choice that forgets a README should fail here, not in a user's shell. Each line
// goes through the CLI's own command table, parser and pre-run checks (readme-command-check.ts);
// nothing is run. Lines that fail on purpose are listed below with the reason.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { checkReadmeCommand } from "./readme-command-check.ts";
import { commandDocPaths, extractCommands, readmeCommands } from "./readme-commands.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Lines that fail the check as the text around them says; each must still fail that way. */
const EXPECTED_FAILURES: { readme: string; args: string; problem: RegExp; reason: string }[] = [
  {
    readme: "packages/duality-learner/README.md",
    args: "duality kw --out runs/kw-0.3 --resume",
    problem: /^--beta: expected a number/,
    reason:
      "continues the run of the first line of the block: the configuration comes from runs/kw-0.3, which a check without that run cannot see",
  },
];

test("extraction: sh, bash and console fences, continuations, comments, pipes, inline spans", () => {
  const md = [
    "Run `pnpm -s physml dual --beta 0.3` or", //                                   1
    "`physml runs export <runs…> --format csv\\|parquet", //                          2
    "[--output file]` (a table cell).", //                                           3
    "```sh", //                                                                      4
    "pnpm -s physml mcmc --L 8 \\", //                                               5
    "  --beta 0.4   # a comment", //                                                 6
    "PHYSML_BACKEND=cpu physml dual --beta 0.2 --json | jq .", //                    7
    'pnpm physml symmetry noscale --kahler "-3*log(T + conj(T))" > out.txt &', //  8
    "bash scripts/test.sh", //                                                       9
    "# physml view: a comment, not a command", //                                   10
    "```", //                                                                       11
    "```console", //                                                                12
    "$ pnpm -s physml exact energy --L 4 --beta 0.3", //                            13
    "physml output line, not a command", //                                         14
    "```", //                                                                       15
    "```ts", //                                                                     16
    "const s = `physml dual --beta 9`;", //                                         17
    "```", //                                                                       18
    "``physml view --port 8090`` and `physmlx` and `pnpm bench`.", //              19
    "`physml dual [--beta 0.3 | --beta 0.4] --json | jq .`", //                     20
  ].join("\n");
  const found = extractCommands(md, "R.md").map((c) => [c.line, c.source, c.args.join(" ")]);
  expect(found).toEqual([
    [1, "inline", "dual --beta 0.3"],
    [2, "inline", "runs export <runs…> --format csv|parquet [--output file]"],
    [5, "fence", "mcmc --L 8 --beta 0.4"],
    [7, "fence", "dual --beta 0.2 --json"],
    [8, "fence", "symmetry noscale --kahler -3*log(T + conj(T))"],
    [13, "fence", "exact energy --L 4 --beta 0.3"],
    [19, "inline", "view --port 8090"],
    [20, "inline", "dual [--beta 0.3 | --beta 0.4] --json"],
  ]);
  expect(() => extractCommands("```sh\nphysml dual", "R.md")).toThrow(/R.md:1: .* never closes/);
});

test("the check notices unknown commands and flags, bad values and bad grids, and reads synopses", async () => {
  const problem = async (line: string) => (await checkReadmeCommand(line.split(" "))).problem;
  // The renamed coupling: --kappa is gone, with a did-you-mean.
  expect(await problem("duality lines --L 16 --beta 0.3 --kappa 0.1")).toMatch(/unknown flag --kappa/);
  expect(await problem("duality kw --beta 0.3 --L 16 --workers 0")).toMatch(/^--workers: expected/);
  expect(await problem("duality kw --beta 0.3 --beta 0.4")).toMatch(/--beta is given more than once/);
  expect(await problem("dualty kw --beta 0.3")).toMatch(/unknown command "dualty kw"/);
  // A command without its own check: each flag's value against its field in the option schema.
  expect(await problem("dualrep chain --n 4,8 --encoder cnn")).toMatch(/^--encoder: expected/);
  expect(await problem("sweep duality kw --L 16 --grid kappa=0,0.1 --out x")).toMatch(/^--grid: expected/);
  expect(await problem("sweep duality kw --grid beta=0.3,9 --out x")).toMatch(/point beta-9: --beta/);
  expect(await problem("sweep duality kw --grid beta=0.3 --out x --time 1:00")).toMatch(/^--executor/);
  // Synopses: alternatives each checked, placeholders and optional parts read up to the flag names.
  expect(await checkReadmeCommand(["mcmc", "--L", "8", "[--backend", "cpu|webgpu]"])).toEqual({
    level: "values",
    problem: null,
  });
  expect(await problem("mcmc --L 8 [--backend cpu|gpu]")).toMatch(/^--backend: expected/);
  expect(await problem("inverse line --L 6 [--plaquette 0.1 | --nnn 0.1]")).toBeNull();
  expect(await problem("inverse line --L 6 [--plaquette 0.1 | --kappa 0.1]")).toMatch(/unknown flag --kappa/);
  expect(await checkReadmeCommand(["mcmc", "--L", "8", "[--seed", "S]"])).toEqual({
    level: "flags",
    problem: null,
  });
  expect(await problem("mcmc --L 8 [--kappa K]")).toMatch(/unknown flag --kappa/);
  expect(await problem("integrability connection --system sine-gordon|kdv2")).toMatch(/--system/);
  expect(await problem("<cmd> --help")).toBeNull();
  expect(await problem("<cmd> --halp")).toMatch(/unknown flag --halp/);
  expect(await checkReadmeCommand(["duality", "lines"])).toEqual({ level: "name", problem: null });
  expect(await checkReadmeCommand(["dual", "--beta", "0.3"])).toEqual({ level: "values", problem: null });
});

test("every physml command line of the READMEs reads as written", async () => {
  const commands = readmeCommands(root);
  // An independent count of the command lines, so a broken extractor cannot pass by finding nothing.
  const counted = commandDocPaths(root)
    .map((p) => {
      const md = readFileSync(`${root}/${p}`, "utf8");
      const fenced = md.match(/^\s*(\$ )?(pnpm (-s )?)?physml(?=\s|$)/gm)?.length ?? 0;
      const inline = md.match(/(?<!`)`(pnpm (-s )?)?physml(?=[\s`])/g)?.length ?? 0;
      return fenced + inline;
    })
    .reduce((a, b) => a + b, 0);
  expect(commands.length).toBe(counted);
  expect(commands.length).toBeGreaterThan(150);

  const problems: string[] = [];
  const levels = { name: 0, flags: 0, values: 0 };
  const expectedSeen = new Set<string>();
  for (const c of commands) {
    const v = await checkReadmeCommand(c.args);
    levels[v.level]++;
    const expected = EXPECTED_FAILURES.find((e) => e.readme === c.readme && e.args === c.args.join(" "));
    if (expected) {
      expectedSeen.add(expected.args);
      expect(v.problem, `${c.readme}:${c.line}: ${expected.reason}`).toMatch(expected.problem);
    } else if (v.problem !== null) {
      problems.push(`${c.readme}:${c.line}: ${c.text}\n    ${v.problem}`);
    }
  }
  expect(problems).toEqual([]);
  expect([...expectedSeen].sort()).toEqual(EXPECTED_FAILURES.map((e) => e.args).sort());
  // Most lines are checked down to their values, so the guard does not quietly shrink to names.
  expect(levels.values).toBeGreaterThan(commands.length / 2);
});
