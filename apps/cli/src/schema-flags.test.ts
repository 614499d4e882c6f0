// Every command's flags come from its library's option schema: the help shows each flag's range,
// rule and default as the schema states them, and whatever the command line refuses for a range
// or a rule, the library's schema refuses too (with the same words).
import { BACKEND_CHOICES } from "@physml/gpu-device";
import {
  describeAllowed,
  failureCategory,
  MAX_SEED,
  optionAt,
  PhysmlInputError,
  parseOptions,
  seedOption,
} from "@physml/lattice-core";
import { mcmcRunOptionsSchema } from "@physml/mcmc-gpu";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runCaptured as run } from "../test/run-captured.js";
import type { Command } from "./command.js";
import { loadAllCommands } from "./commands/index.js";
import { ArgError, FlagError } from "./flags.js";
import { commandHelp } from "./help.js";
import { parseCommandLine } from "./parse.js";
import { defaultRunDir } from "./run-flags.js";
import { configFlags, flagError } from "./schema-flags.js";

/**
 * Flags about the run itself (where it writes, how it reports, how many CPU threads it takes:
 * `--workers`, mcmc-gpu's `workersOption`) or a sweep's grid and its comparison runs, not about
 * the library's options.
 */
const RUN_FLAGS = new Set([
  "workers",
  "out",
  "run",
  "resume",
  "force",
  "config",
  "quiet",
  "betas",
  "plaquettes",
  "nnns",
  "skip-nn-only",
  "grid",
]);

const COMMANDS = await loadAllCommands();
const withOptions = COMMANDS.filter((c): c is Command & { options: z.ZodType } => c.options !== undefined);
const name = (c: Command) => c.path.join(" ");

/** Values just outside a number field's range and, for an integer, a fraction inside it. */
function outOfRange(s: z.ZodNumber): number[] {
  const out: number[] = [];
  const { minValue: lo, maxValue: hi } = s;
  if (lo !== null && Number.isFinite(lo)) out.push(lo - Math.max(1, Math.abs(lo)));
  if (hi !== null && Number.isFinite(hi)) out.push(hi + Math.max(1, Math.abs(hi)));
  if (s.isInt && lo !== null && hi !== null && lo + 0.5 <= hi) out.push(lo + 0.5);
  return out;
}

describe("flags from option schemas", () => {
  it("every command but the run-index ones (`runs …`, `sweep status|merge`) has a library option schema, and its other flags are run flags", () => {
    for (const c of COMMANDS) {
      if (c.path[0] === "runs" || (c.path[0] === "sweep" && ["status", "merge"].includes(c.path[1])))
        continue;
      expect(c.options, name(c)).toBeDefined();
      const fromSchema = new Set(configFlags(c.options as z.ZodType).map((f) => f.name));
      for (const flag of Object.keys(c.flags)) {
        expect(fromSchema.has(flag) || RUN_FLAGS.has(flag), `${name(c)} --${flag}`).toBe(true);
      }
    }
  });

  it("the help of each command shows each flag's range, rule and default from the schema", () => {
    for (const c of withOptions) {
      const help = commandHelp(c);
      for (const f of configFlags(c.options)) {
        if (!(f.name in c.flags)) continue;
        const line = help.split("\n").find((l) => l.startsWith(`  --${f.name} `));
        expect(line, `${name(c)} --${f.name}`).toBeDefined();
        const field = optionAt(c.options, f.path) as z.ZodType;
        if (f.spec.type === "string")
          expect(line, `${name(c)} --${f.name}`).toContain(describeAllowed(field));
        if (f.spec.default !== undefined) {
          expect(line, `${name(c)} --${f.name}`).toContain(`default ${f.spec.default}`);
        }
      }
    }
    // Spot checks against the numbers themselves (not derived from the schema code).
    const help = (path: string) => commandHelp(COMMANDS.find((c) => name(c) === path) as Command);
    expect(help("mcmc")).toMatch(
      /--chains <value>\s+independent chains \[an integer in \[1, 1048576\]; at most 65536 with the generic sampler; default 16\]/,
    );
    expect(help("mcmc")).toMatch(/--L <value>.*even on the square Ising fast path/);
    expect(help("duality kw")).toMatch(/--L <value>.*\[an even integer in \[4, 512\]; default 16\]/);
    expect(help("duality kw")).toMatch(
      /--chains <value>.*a multiple of 2 × the number of exploration starts/,
    );
    expect(help("exact energy")).toMatch(/--beta <value>.*\[required; a number in \[0, 50\]\]/);
    expect(help("cy donaldson")).toMatch(
      /--k <value>.*\[an integer 1–8, or a range a\.\.b with 1 ≤ a < b ≤ 8 \(every k from a to b\); default 4\]/,
    );
    expect(help("integrability lax")).toMatch(
      /--steps <value>.*\[an integer in \[0, 100000\]; default per system: ho2d 0, toda 300, others 800\]/,
    );
    expect(help("symmetry noscale")).toMatch(
      /--points <value>.*\[an integer in \[1, 1000000\]; default 64\]/,
    );
  });

  it("a value outside a flag's range is refused by the CLI (exit 2, one line naming the flag and range) and by the library's schema", async () => {
    let checked = 0;
    for (const c of withOptions) {
      for (const f of configFlags(c.options)) {
        if (!(f.name in c.flags) || f.spec.type !== "string") continue;
        const field = optionAt(c.options, f.path) as z.ZodType;
        let inner: z.ZodType = field;
        while ((inner as unknown as { def: { innerType?: z.ZodType } }).def.innerType)
          inner = (inner as unknown as { def: { innerType: z.ZodType } }).def.innerType;
        const bad: [string, unknown][] =
          inner instanceof z.ZodNumber
            ? outOfRange(inner).map((v) => [String(v), v])
            : inner instanceof z.ZodEnum
              ? [["bogus", "bogus"]]
              : [];
        for (const [raw, value] of bad) {
          // A sweep reads a learner command first; its own flags follow it.
          // A command that needs a positional (a sweep directory) gets one that does not exist:
          // the flag is judged first.
          const words = c.rawArgs
            ? [...c.path, "duality", "kw", "--grid", "beta=0.3"]
            : c.args?.some((a) => a.required)
              ? [...c.path, "no-such-dir"]
              : c.path;
          const r = await run(...words, `--${f.name}=${raw}`);
          const where = `${name(c)} --${f.name}=${raw}`;
          expect(r.code, where).toBe(2);
          expect(r.stdout, where).toBe("");
          expect(r.stderr, where).toBe(
            `physml ${name(c)}: --${f.name}: expected ${describeAllowed(field)}, got ${JSON.stringify(raw)}\n`,
          );
          // The library's own schema refuses the value.
          expect(field.safeParse(value).success, where).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("every --seed is the shared seed option: any integer in [0, 2^53 − 1], read exactly", () => {
    let seeds = 0;
    for (const c of withOptions) {
      for (const f of configFlags(c.options)) {
        if (f.name !== "seed" || !(f.name in c.flags)) continue;
        expect(f.allowed, name(c)).toBe(describeAllowed(seedOption()));
        expect(f.parse(String(MAX_SEED)), name(c)).toBe(MAX_SEED);
        const field = optionAt(c.options, f.path) as z.ZodType;
        for (const v of [0, 2 ** 31, 2 ** 32, MAX_SEED])
          expect(field.safeParse(v).success, `${name(c)} ${v}`).toBe(true);
        seeds++;
      }
    }
    expect(seeds).toBeGreaterThan(10);
  });

  it("rules across flags: the CLI's refusal is the library's (same field, same words)", async () => {
    const cases: [string[], z.ZodType, Record<string, unknown>, string][] = [
      [["mcmc", "--L", "7", "--beta", "0.3"], mcmcRunOptionsSchema, { L: 7, beta: 0.3 }, "L"],
      [
        ["mcmc", "--model", "xy", "--lattice", "cubic", "--L", "300", "--beta", "1"],
        mcmcRunOptionsSchema,
        { model: "xy", lattice: "cubic", L: 300, beta: 1 },
        "L",
      ],
      [
        ["mcmc", "--L", "8", "--beta", "0.3", "--sweeps", "10", "--every", "6"],
        mcmcRunOptionsSchema,
        { L: 8, beta: 0.3, sweeps: 10, every: 6 },
        "every",
      ],
      [
        ["mcmc", "--model", "xy", "--L", "8", "--beta", "1", "--chains", "65537"],
        mcmcRunOptionsSchema,
        { model: "xy", L: 8, beta: 1, chains: 65537 },
        "chains",
      ],
      [["mcmc", "--L", "8"], mcmcRunOptionsSchema, { L: 8 }, "beta"],
    ];
    for (const [argv, schema, input, field] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      let libraryError: unknown;
      try {
        parseOptions(schema, input);
      } catch (e) {
        libraryError = e;
      }
      expect(libraryError, argv.join(" ")).toBeInstanceOf(PhysmlInputError);
      const e = libraryError as PhysmlInputError;
      expect(e.field).toBe(field);
      expect(r.stderr, argv.join(" ")).toContain(`--${field}: expected ${e.allowed}, got`);
    }
  });

  it("a default refused by a rule across flags is shown as the default, and the flag to give named", async () => {
    // scnn's --warmup defaults to 200: fine at its default --steps, not with --steps 100
    const r = await run("integrability", "scnn", "--steps", "100");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--warmup: expected an integer in \[0, 99\] .*, got 200 \(its default; give --warmup\)\n$/,
    );
    // a required flag left out has no default: still "nothing"
    expect((await run("dual")).stderr).toMatch(/--beta: expected .* got nothing\n$/);
  });

  it("an error about one element of a list flag names the flag (`--shapes`, not `shapes[1]`)", async () => {
    const r = await run("duality", "kw", "--shapes", "h,nope");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^physml duality kw: --shapes: expected one of h, v, .*, got "h,nope"\n$/);
    // the library names the element itself; flagError gives it to the list's flag
    const flags = configFlags(z.object({ shapes: z.array(z.string()).meta({ flag: "shapes" }) }));
    const e = flagError(new PhysmlInputError("shapes[1]", "one of h, v", "nope"), flags, {
      shapes: "h,nope",
    });
    expect((e as Error).message).toBe('--shapes: expected one of h, v, got "h,nope"');
  });

  it("a bad flag or argument value is a PhysmlInputError naming it as typed, and flagError leaves it as it is", () => {
    const f = new FlagError("steps", "an integer in [1, 10]", "0");
    expect(f).toBeInstanceOf(PhysmlInputError);
    expect(failureCategory(f)).toBe("input");
    expect([f.field, f.flag, f.message]).toEqual([
      "--steps",
      "steps",
      '--steps: expected an integer in [1, 10], got "0"',
    ]);
    const a = new ArgError("run", "a run directory", undefined, "none given");
    expect(a).toBeInstanceOf(PhysmlInputError);
    expect([a.field, a.message]).toEqual([
      "<run>",
      "<run>: expected a run directory, got nothing (none given)",
    ]);
    // a flag that is also a configuration field is not restated again (for --config or otherwise)
    const flags = configFlags(z.object({ steps: z.number().meta({ flag: "steps" }) }));
    expect(flagError(f, flags, { steps: "0" }, "cfg.json")).toBe(f);
  });

  it("duality kw and sweep show the run directory each uses without --out", () => {
    // kw writes runs/duality-<time>, a sweep runs/sweep-<time> (defaultRunDir of each)
    for (const [cmd, kind] of [
      ["duality kw", "duality"],
      ["duality sweep", "sweep"],
    ]) {
      const c = COMMANDS.find((x) => name(x) === cmd) as Command;
      expect(c.flags.out.default).toBe(`runs/${kind}-<time>`);
      expect(defaultRunDir(kind)).toMatch(new RegExp(`^runs/${kind}-\\d{4}-`));
    }
  });

  it("--h is the time step of `integrability simulate`, -h is help", () => {
    const sim = COMMANDS.find((c) => name(c) === "integrability simulate") as Command;
    expect(parseCommandLine(sim, ["--h", "0.01"]).flags).toEqual({ h: "0.01" });
    expect(parseCommandLine(sim, ["-h"]).flags).toEqual({ help: true });
  });

  it("the backend flag offers exactly the values PHYSML_BACKEND takes", () => {
    const mcmc = COMMANDS.find((c) => name(c) === "mcmc") as Command;
    expect(mcmc.flags.backend.rule).toBe(`one of ${BACKEND_CHOICES.join(" | ")}`);
  });
});
