// runFromFlags reads a stored configuration through the command's tables (renamed and added
// fields) and a new run's flags through the schema alone. The body hands back the configuration
// it was given, so nothing is trained.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inIntegrabilityRun, SCNN_ADDED_FIELDS, scnnOptionsSchema } from "@physml/integrability";
import { parseOptions } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { SCNN_OLD_DEFAULTS } from "../test/scnn-old-defaults.js";
import type { RawFlags } from "./command.js";
import { SCNN_RENAMED_FIELDS } from "./commands/integrability-renamed-fields.js";
import { runFromFlags } from "./run-flags.js";
import { configFlags } from "./schema-flags.js";

const SCNN_FLAGS = configFlags(scnnOptionsSchema);
const io = { stdout: () => {}, stderr: () => {} };
const fresh = async () => join(await mkdtemp(join(tmpdir(), "physml-run-flags-")), "run");

/** The configuration `physml integrability scnn` with `raw` hands its body. */
async function scnnConfig(raw: RawFlags): Promise<Record<string, unknown>> {
  const r = await runFromFlags(
    inIntegrabilityRun,
    "integrability-scnn",
    scnnOptionsSchema,
    SCNN_FLAGS,
    raw,
    io,
    async (config) => ({ result: { config }, report: "" }),
    { renamed: SCNN_RENAMED_FIELDS, added: SCNN_ADDED_FIELDS },
  );
  return r.config as Record<string, unknown>;
}

/** Raw flags from `--name value` pairs. */
const rawOf = (argv: readonly string[]): RawFlags =>
  Object.fromEntries(argv.flatMap((a, i) => (i % 2 === 0 ? [[a.slice(2), argv[i + 1]]] : [])));

describe("runFromFlags: fields added since a run was stored", () => {
  it("an unfinished scnn run of 3 Dec resumes with the README's earlier defaults; a new run takes today's", async () => {
    // config.json as 867fa27f wrote it: the fields of the schema then, at their defaults
    const out = await fresh();
    await mkdir(out);
    const config = {
      ...{ system: "two-body", steps: 2000, trainOrbits: 32, testOrbits: 8, time: 6, batch: 128 },
      ...{ lr: 3e-3, boost: { offset: 0.5, velocity: 0.1 }, cyclic: 3, poissonWeight: 1 },
      ...{ conservationWeight: 10, seed: 0 },
    };
    const file = { format: 1, kind: "integrability-scnn", package: "@physml/integrability" };
    await writeFile(join(out, "config.json"), JSON.stringify({ ...file, version: "", git: null, config }));
    const resumed = await scnnConfig({ out, resume: true });

    // the earlier defaults as the README and the tests spell them out, given as flags to a new run
    const earlier = await scnnConfig({ ...rawOf(SCNN_OLD_DEFAULTS), out: await fresh() });
    expect(resumed).toEqual(earlier);
    expect(resumed).toMatchObject({
      warmup: 0,
      frame: "bodies",
      transform: "general",
      pointStart: "identity",
    });

    const today = await scnnConfig({ out: await fresh() });
    expect(today).toEqual(parseOptions(scnnOptionsSchema, {}));
    expect(today).toMatchObject({ warmup: 200, frame: "relative", transform: "point", pointStart: "polar" });
  });
});
