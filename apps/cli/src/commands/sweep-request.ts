// Reading `physml sweep <learner command> [learner flags] --grid k=spec … [sweep flags]`: which
// learner, which grid, which fixed learner arguments, and the command a worker runs.
import { createRequire } from "node:module";
import { extname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type GridAxis, type GridValue, parseGridAxis, sweepOptionsSchema } from "@physml/runs";
import type { Command, CommandCli, FlagSpec, RawFlags } from "../command.js";
import { FlagError, UsageError } from "../flags.js";
import { parseCommandLine, suggest } from "../parse.js";
import { configFlags, flagSpecs } from "../schema-flags.js";

/** Learner flags a sweep sets itself for every point. */
const SET_BY_SWEEP = ["out", "resume", "force"];
/** Flags that are not configuration and cannot be a grid axis. */
const NOT_AXES = new Set([...SET_BY_SWEEP, "config", "quiet", "json", "help", "debug"]);
/** Settings of the process that change no result (`--workers`): passed on to every point, never an axis. */
const NOT_AXES_PASSED_ON = new Set(["workers"]);

/** The executor flags, from @physml/runs' option schema. */
export const SWEEP_CONFIG_FLAGS = configFlags(sweepOptionsSchema);

export const SWEEP_FLAGS: Record<string, FlagSpec> = {
  grid: {
    type: "string",
    description: "a grid axis over one of the learner's flags (repeat --grid for more axes)",
    rule: "key=lo:hi:step (inclusive) or key=a,b,c; the points are the Cartesian product",
  },
  out: { type: "string", description: "sweep directory (sweep.json, one run directory per point, logs/)" },
  resume: {
    type: "boolean",
    description: "continue the sweep in --out: finished points are skipped, failed or killed ones resume",
  },
  ...flagSpecs(SWEEP_CONFIG_FLAGS),
  quiet: { type: "boolean", description: "no progress lines on stderr" },
};

/** Whether a sweep can run a command: it writes a run directory and can resume it (a sweep itself is not one). */
export const isLearner = (c: Command): boolean =>
  c.path[0] !== "sweep" && Boolean(c.flags.out && c.flags.resume);

/** A learner's own flags, without those the sweep sets for every point. */
const ownFlags = (learner: Command): Record<string, FlagSpec> =>
  Object.fromEntries(Object.entries(learner.flags).filter(([n]) => !SET_BY_SWEEP.includes(n)));

/** The learner's flags that the sweep also has (`--quiet` is shared on purpose): a sweep of it cannot be read. */
export function flagsClashingWithSweep(learner: Command): string[] {
  const own = ownFlags(learner);
  return Object.keys(SWEEP_FLAGS).filter((n) => n !== "quiet" && own[n]);
}

/** The learner command `words` name, importing only its module; undefined when they name none. */
async function learnerNamed(cli: CommandCli, words: string[]): Promise<Command | undefined> {
  const cmd = await cli.find(words);
  return cmd && isLearner(cmd) ? cmd : undefined;
}

/** Commands a sweep can run (imports every command module, to list them). */
async function learnerCommands(cli: CommandCli): Promise<Command[]> {
  return (await cli.all()).filter(isLearner);
}

/**
 * The command that runs one point on a worker: `PHYSML_SWEEP_WORKER` (e.g. an installed
 * `physml`) when set, else this Node running this CLI (its TypeScript sources through tsx in the
 * workspace), followed by `sweep run-point`.
 */
export function workerCommand(): string[] {
  const env = process.env.PHYSML_SWEEP_WORKER?.trim();
  if (env) return [...env.split(/\s+/), "sweep", "run-point"];
  const here = fileURLToPath(import.meta.url);
  const main = fileURLToPath(new URL(`../main${extname(here)}`, import.meta.url));
  if (extname(here) !== ".ts") return [process.execPath, main, "sweep", "run-point"];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return [process.execPath, "--conditions=@physml/source", "--import", tsx, main, "sweep", "run-point"];
}

/** Splits the repeatable --grid out of a raw command line. */
function takeGrids(args: string[]): { grids: string[]; rest: string[] } {
  const grids: string[] = [];
  const rest: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === "--grid") {
      if (args[k + 1] === undefined)
        throw new UsageError(`--grid: expected a value after it (${SWEEP_FLAGS.grid.rule})`);
      grids.push(args[++k]);
    } else if (a.startsWith("--grid=")) grids.push(a.slice("--grid=".length));
    else rest.push(a);
  }
  return { grids, rest };
}

/** A learner's flags as arguments, in the learner's flag order (so equal sweeps compare equal). */
function learnerArgs(learner: Command, flags: RawFlags): string[] {
  const out: string[] = [];
  for (const [name, spec] of Object.entries(learner.flags)) {
    const v = flags[name];
    if (v === undefined || (NOT_AXES.has(name) && name !== "config")) continue;
    if (spec.type === "boolean") {
      if (v === true) out.push(`--${name}`);
    } else {
      out.push(`--${name}=${name === "config" ? resolve(String(v)) : String(v)}`);
    }
  }
  return out;
}

export interface SweepRequest {
  learner: Command;
  axes: GridAxis[];
  args: string[];
  flags: RawFlags;
  pointArgs: (params: Record<string, GridValue>) => string[];
}

/**
 * Reads `physml sweep <learner words> [flags]`: the learner (looked up in `cli`), the grid, the
 * fixed learner flags, the sweep's flags.
 */
export async function readRequest(argv: string[], cli: CommandCli): Promise<SweepRequest> {
  const k = argv.findIndex((a) => a.startsWith("-"));
  const words = k < 0 ? argv : argv.slice(0, k);
  const learner = await learnerNamed(cli, words);
  if (!learner) {
    const names = (await learnerCommands(cli)).map((c) => c.path.join(" "));
    const hint = words.length ? suggest(words.join(" "), names) : null;
    throw new UsageError(
      `${words.length ? `"${words.join(" ")}" is not a learner command a sweep can run` : "expected a learner command"}` +
        `${hint ? ` (did you mean "${hint}"?)` : ""}; one of: ${names.join(", ")} (e.g. physml sweep duality kw --grid beta=0.1:0.8:0.05 --out runs/sweep)`,
    );
  }
  const { grids, rest } = takeGrids(argv.slice(words.length));
  const own = ownFlags(learner);
  const [clash] = flagsClashingWithSweep(learner);
  if (clash) throw new Error(`sweep: the learner's flag --${clash} clashes with the sweep's own`);
  const combined: Command = {
    ...learner,
    path: ["sweep", ...learner.path],
    flags: { ...own, ...SWEEP_FLAGS },
  };
  const { flags } = parseCommandLine(combined, rest);
  const axisNames = Object.keys(own).filter((n) => !NOT_AXES.has(n) && !NOT_AXES_PASSED_ON.has(n));
  const axes = grids.map((g) => parseGridAxis(g));
  if (axes.length === 0) throw new FlagError("grid", SWEEP_FLAGS.grid.rule as string, undefined);
  for (const a of axes) {
    if (!axisNames.includes(a.key)) {
      const hint = suggest(a.key, axisNames);
      throw new FlagError(
        "grid",
        `a key that is one of the learner's flags (${axisNames.join(", ")})`,
        a.key,
        hint ? `did you mean ${hint}?` : undefined,
      );
    }
    if (flags[a.key] !== undefined) {
      throw new FlagError("grid", `a key not also given as --${a.key}`, a.key, "drop one of the two");
    }
    if (own[a.key].type === "boolean" && !a.values.every((v) => v === "true" || v === "false")) {
      throw new FlagError("grid", `true,false for the switch --${a.key}`, a.spec);
    }
  }
  const pointArgs = (params: Record<string, GridValue>) =>
    Object.entries(params).flatMap(([key, v]) =>
      own[key].type === "boolean" ? (v === "true" ? [`--${key}`] : []) : [`--${key}=${String(v)}`],
    );
  return { learner, axes, args: learnerArgs(learner, flags), flags, pointArgs };
}
