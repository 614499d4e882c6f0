// One JSON key, one meaning (root README, "Conventions"): the top-level keys of every command's
// --json, collected from small runs of each, never carry null and have one JSON type each
// across the CLI; the keys that once meant two things keep the one meaning the README gives them.
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCaptured as run } from "../test/run-captured.js";

type Kind = "number" | "string" | "boolean" | "array" | "object" | "null";
const kindOf = (v: unknown): Kind =>
  v === null ? "null" : Array.isArray(v) ? "array" : (typeof v as "number" | "string" | "boolean" | "object");

/** The kind each of these keys has wherever it appears at the top level (README "Conventions"). */
const MEANING: Record<string, Kind> = {
  kappa: "object", // Calabi–Yau κ = Vol_K/Vol_CY {mean, error}; the plaquette coupling is `plaquette`
  plaquette: "number",
  model: "object", // the physical model description; the Calabi–Yau ansatz is `metricModel`
  metricModel: "string",
  architecture: "string", // the network of `symmetry cicy`
  dual: "object", // a dual's results; the switch to sample the dual model is `sampleDual`
  sampleDual: "boolean",
  points: "number", // a number of points; per-parameter results are `rows`
  rows: "array",
  sigma: "object", // Calabi–Yau's σ {mean, error}, its error that of the held-out points
  balancingError: "number", // σ_k's spread over the integration points of its balancing
  sigmaWithBalancing: "object", // σ_k {mean, error} with both errors: its spread over seeds
  L: "number", // the lattice side
  accuracy: "number",
};

/**
 * Keys whose types differ with the same meaning: an exact value (a number) where a command
 * computes it exactly and a Monte Carlo estimate of that number `{mean, error, tauInt}` where it
 * samples; and the dual's couplings, a list in `duality kw` and the fitted family's name
 * ("nn+nnn") in `inverse line`.
 */
const SAME_MEANING_TWO_TYPES: Record<string, Kind[]> = {
  absMagnetization: ["number", "object"],
  reducedEnergyPerSite: ["number", "object"],
  specificHeatPerSite: ["number", "object"],
  susceptibility: ["number", "object"],
  binderCumulant: ["number", "object"],
  dualTerms: ["array", "string"],
};

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** `command → its --json object`, from the smallest runs of every command that prints one. */
const outputs = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), "physml-json-keys-"));
  dirs.push(root);
  const out = (name: string) => ["--out", join(root, name)];
  const chain = join(root, "chain5.json");
  writeFileSync(
    chain,
    JSON.stringify({
      spin: "ising",
      lattice: { chain: 5 },
      terms: [{ name: "nn", coupling: 0.3, shapes: [[[0], [1]]] }],
    }),
  );
  // A made-up CICY list: the command's keys need no real CICYs.
  const cicys = join(root, "cicys.json.gz");
  const matrix = (i: number) => Array.from({ length: 1 + (i % 3) }, (_, r) => [(i + r) % 3, 1, 2]);
  const list = Array.from({ length: 12 }, (_, i) => [
    String(i + 1),
    { matrix: matrix(i), h11: 1 + (i % 2), h21: 9 },
  ]);
  writeFileSync(cicys, gzipSync(JSON.stringify(Object.fromEntries(list))));
  const commands: string[][] = [
    ["exact", "energy", "--L", "4", "--beta", "0.3"],
    ["exact", "enumerate", "--L", "3", "--beta", "0.3", "--plaquette", "0.1"],
    ["exact", "model", "--model-file", chain],
    ["dual", "--beta", "0.3"],
    [
      "mcmc",
      "--L",
      "4",
      "--beta",
      "0.3",
      "--chains",
      "2",
      "--sweeps",
      "4",
      "--thermalize",
      "0",
      "--backend",
      "cpu",
    ],
    [
      "mcmc",
      "--model",
      "xy",
      "--lattice",
      "chain",
      "--L",
      "8",
      "--beta",
      "1",
      "--chains",
      "1",
      "--sweeps",
      "4",
    ],
    [
      ...["duality", "kw", "--L", "4", "--chains", "16", "--explore-steps", "0", "--steps", "2"],
      ...["--backend", "cpu", "--quiet", ...out("kw")],
    ],
    [
      ...["duality", "kw", "--L", "4", "--plaquette", "0.1", "--chains", "16", "--explore-steps", "0"],
      ...["--steps", "2", "--backend", "cpu", "--quiet", ...out("kw-plaquette")],
    ],
    [
      ...["duality", "sweep", "--betas", "0.3", "--L", "4", "--chains", "16", "--explore-steps", "0"],
      ...["--steps", "2", "--backend", "cpu", "--quiet", ...out("sweep")],
    ],
    [
      ...["duality", "lines", "--L", "4", "--chains", "4", "--samples", "4", "--warmup", "4", "--steps", "2"],
      ...["--starts", "1", "--blocks", "4", "--landscape-points", "8", "--quiet", ...out("lines")],
    ],
    ["inverse", "ising", "--beta", "0.3", "--L", "4", "--samples-count", "64", "--chains", "2"],
    ["inverse", "line", "--beta", "0.3", "--L", "4", "--samples-count", "64", "--dual-samples", "4"],
    ["symmetry", "potential", "--per-class", "10", "--quiet", ...out("potential")],
    ["symmetry", "generators", "--group", "so3", "--per-class", "60", "--quiet", ...out("generators")],
    [
      "symmetry",
      "cicy",
      "--data",
      cicys,
      "--epochs",
      "1",
      "--copies",
      "1",
      "--neighbour-copies",
      "2",
      "--quiet",
      ...out("cicy"),
    ],
    ["symmetry", "noscale", "--kahler", "-3*log(T + conj(T))", "--points", "2"],
    ["cy", "sample", "--points", "20", ...out("cy-sample")],
    [
      "cy",
      "donaldson",
      "--k",
      "1",
      "--points",
      "100",
      "--eval",
      "100",
      "--iterations",
      "1",
      ...out("cy-donaldson"),
    ],
    [
      ...["cy", "train", "--k", "1", "--points", "100", "--eval", "100", "--epochs", "1", "--batch", "50"],
      ...["--iterations", "0", "--quiet", ...out("cy-train")],
    ],
    ["cy", "eval", "--run", join(root, "cy-train"), "--points", "100", "--ricci-points", "10", "--quiet"],
    [
      ...["dualrep", "chain", "--sites", "6", "--n", "2", "--per-class", "16", "--epochs", "1"],
      ...["--quiet", ...out("chain")],
    ],
    [
      ...["dualrep", "ising2d", "--L", "4", "--temperatures", "1.5", "--samples", "64", "--chains", "2"],
      ...["--warmup", "2", "--every", "1", "--epochs", "1", "--quiet", ...out("ising2d")],
    ],
    [
      "integrability",
      "lax",
      "--system",
      "ho",
      "--steps",
      "2",
      "--lbfgs",
      "0",
      "--samples",
      "16",
      "--quiet",
      ...out("lax"),
    ],
    [
      ...["integrability", "connection", "--system", "sine-gordon", "--steps", "0", "--polish-iter", "0"],
      ...[
        "--restarts",
        "0",
        "--samples",
        "64",
        "--trajectories",
        "2",
        "--grid-points",
        "64",
        "--snapshots",
        "2",
      ],
      ...["--trajectory-time", "0.01", "--quiet", ...out("connection")],
    ],
    [
      "integrability",
      "scnn",
      "--steps",
      "1",
      "--orbits",
      "1",
      "--test-orbits",
      "1",
      "--warmup",
      "0",
      "--quiet",
      ...out("scnn"),
    ],
    ["runs", "export", root, "--output", join(root, "runs.csv")],
    ["runs", "show", join(root, "lines")],
    ["runs", "ls", root],
  ];
  for (const [i, argv] of commands.entries()) {
    const r = await run(...argv, "--json");
    // 3: a result that failed its own check (tiny runs) still prints its JSON
    expect([0, 3], `${argv.join(" ")}: ${r.stderr}`).toContain(r.code);
    outputs.set(`${argv.slice(0, argv[0] === "dual" ? 1 : 2).join(" ")} #${i}`, JSON.parse(r.stdout));
  }
}, 120_000);

/** Every top-level key → kind → the commands where it has that kind. */
function topLevelKinds(): Map<string, Map<Kind, string[]>> {
  const kinds = new Map<string, Map<Kind, string[]>>();
  const add = (key: string, kind: Kind, where: string) => {
    if (!kinds.has(key)) kinds.set(key, new Map());
    const m = kinds.get(key) as Map<Kind, string[]>;
    m.set(kind, [...(m.get(kind) ?? []), where]);
  };
  for (const [cmd, j] of outputs) {
    for (const [k, v] of Object.entries(j)) add(k, kindOf(v), cmd);
    // A run listed or shown reports its result under the same keys as the command that wrote it.
    const runs = cmd.startsWith("runs ls")
      ? (j.runs as { result?: unknown }[])
      : cmd.startsWith("runs show")
        ? [j]
        : [];
    for (const r of runs)
      for (const [k, v] of Object.entries((r.result ?? {}) as object)) add(k, kindOf(v), `${cmd} result`);
  }
  return kinds;
}

describe("--json: one key, one meaning across the CLI", () => {
  it("no top-level value is null", () => {
    for (const [key, m] of topLevelKinds()) expect(m.get("null"), key).toBeUndefined();
  });

  it("every top-level key has one JSON type in every command", () => {
    for (const [key, m] of topLevelKinds()) {
      const types = [...m.keys()].sort();
      const allowed = SAME_MEANING_TWO_TYPES[key];
      if (allowed && types.length > 1) expect(types, key).toEqual(allowed);
      else expect(types.length, `${key}: ${JSON.stringify(Object.fromEntries(m))}`).toBe(1);
    }
  });

  it("an estimate sharing an exact value's key is {mean, error, …} of that quantity", () => {
    for (const j of outputs.values())
      for (const key of [
        "absMagnetization",
        "reducedEnergyPerSite",
        "specificHeatPerSite",
        "susceptibility",
        "binderCumulant",
      ])
        if (kindOf(j[key]) === "object")
          expect(Object.keys(j[key] as object)).toEqual(expect.arrayContaining(["mean", "error"]));
  });

  it("a number that cannot be computed is absent and a …Unavailable key says why (duality kw with a plaquette: no exact dual)", () => {
    const kw = [...outputs.entries()].filter(([cmd]) => cmd.startsWith("duality kw"));
    const withPlaquette = kw.filter(([, j]) => j.plaquette !== 0).map(([, j]) => j);
    expect(withPlaquette).toHaveLength(1);
    for (const j of withPlaquette) {
      expect(j.exact).toBeUndefined();
      expect(j.relativeError).toBeUndefined();
      expect(j.exactUnavailable).toMatch(/^no exact dual coupling: /);
    }
    for (const [, j] of kw.filter(([, j]) => j.plaquette === 0)) expect(j.exactUnavailable).toBeUndefined();
  });

  it("every top-level `validation` object names its parts alike: `passed` (boolean), `failures` (array), `targets` (object, if any)", () => {
    const checked: string[] = [];
    for (const [cmd, j] of outputs) {
      const runs = cmd.startsWith("runs ls") ? (j.runs as { result?: Record<string, unknown> }[]) : [];
      const results = cmd.startsWith("runs show") ? [j.result] : runs.map((r) => r.result);
      for (const [where, o] of [[cmd, j], ...results.map((r) => [`${cmd} result`, r] as const)] as const) {
        const v = (o as Record<string, unknown> | undefined)?.validation;
        if (kindOf(v) !== "object") continue;
        checked.push(where);
        const { passed, failures, targets } = v as { passed: unknown; failures: unknown; targets?: unknown };
        expect(kindOf(passed), `${where}: validation.passed`).toBe("boolean");
        expect(kindOf(failures), `${where}: validation.failures`).toBe("array");
        if (targets !== undefined) expect(kindOf(targets), `${where}: validation.targets`).toBe("object");
        expect(Object.keys(v as object), where).not.toContain("reasons");
        expect(Object.keys(v as object), where).not.toContain("limits");
      }
      for (const a of (j.failedAttempts ?? []) as Record<string, unknown>[])
        expect(kindOf(a.failures), `${cmd}: failedAttempts[].failures`).toBe("array");
    }
    expect(checked.filter((c) => c.startsWith("duality kw"))).toHaveLength(2);
    // duality lines, and its run read back by `runs show`
    expect(checked.some((c) => c.startsWith("duality lines"))).toBe(true);
    expect(checked.some((c) => c.startsWith("runs show") && c.endsWith(" result"))).toBe(true);
    expect(checked.some((c) => c.startsWith("integrability"))).toBe(true);
    expect(checked.some((c) => c.startsWith("symmetry generators"))).toBe(true);
  });

  it("no nested key repeats the key it is under (`fresh.angleDeg`, not `fresh.freshAngleDeg`)", () => {
    const repeats: string[] = [];
    const walk = (v: unknown, parent: string, path: string) => {
      if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, parent, `${path}[${i}]`);
      else if (kindOf(v) === "object")
        for (const [k, x] of Object.entries(v as object)) {
          if (parent && k.length > parent.length && k.toLowerCase().startsWith(parent.toLowerCase()))
            repeats.push(`${path}.${k}`);
          walk(x, k, `${path}.${k}`);
        }
    };
    for (const [cmd, j] of outputs) walk(j, "", cmd);
    expect(repeats).toEqual([]);
  });

  it.each(Object.entries(MEANING))("`%s` is always a(n) %s, and it occurs", (key, kind) => {
    const m = topLevelKinds().get(key);
    expect(m, `${key} appears in no command`).toBeDefined();
    expect([...(m as Map<Kind, string[]>).keys()], key).toEqual([kind]);
  });
});
