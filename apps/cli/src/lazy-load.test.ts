// A command imports only the packages it needs: the registry (commands/index.ts) imports a
// command's module only when that command is chosen, so `physml --help` and a lattice-core
// command load no learner package. Checked in a child process that logs every module it loads.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const HOOK = fileURLToPath(new URL("../test/module-log.mjs", import.meta.url));

/** The packages every command loads: the CLI itself, main.ts's error classes and the flag parsing. */
const BASE = ["cli", "gpu-device", "lattice-core"];

/**
 * `physml argv…` from sources in a child process: its stdout and the workspace packages
 * (directory names under packages/ and apps/) it loaded.
 */
async function loadedBy(...argv: string[]): Promise<{ stdout: string; packages: string[] }> {
  const log = join(mkdtempSync(join(tmpdir(), "physml-modules-")), "loaded.txt");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--conditions=@physml/source", "--import", "tsx", "--import", HOOK, "apps/cli/src/main.ts", ...argv],
    { cwd: ROOT, env: { ...process.env, PHYSML_MODULE_LOG: log }, encoding: "utf8", timeout: 60_000 },
  );
  const urls = readFileSync(log, "utf8").trim().split("\n");
  const packages = new Set(urls.flatMap((u) => /\/(?:packages|apps)\/([^/]+)\//.exec(u)?.[1] ?? []));
  return { stdout, packages: [...packages].sort() };
}

describe("a command loads only its own packages", () => {
  let help: Awaited<ReturnType<typeof loadedBy>>;
  let energy: Awaited<ReturnType<typeof loadedBy>>;
  let noscale: Awaited<ReturnType<typeof loadedBy>>;
  beforeAll(async () => {
    [help, energy, noscale] = await Promise.all([
      loadedBy("--help"),
      loadedBy("exact", "energy", "--L", "4", "--beta", "0.3", "--json"),
      loadedBy("symmetry", "noscale", "--help"),
    ]);
  }, 120_000);

  it("physml --help lists every command and loads no command's package", () => {
    expect(help.stdout).toContain("physml symmetry noscale");
    expect(help.packages.filter((p) => !BASE.includes(p))).toEqual([]);
  });

  it("physml exact energy runs on lattice-core alone", () => {
    expect(JSON.parse(energy.stdout).L).toBe(4);
    expect(energy.packages.filter((p) => !BASE.includes(p))).toEqual([]);
  });

  it("physml symmetry noscale --help loads symmetry-finder and no other learner", () => {
    expect(noscale.stdout).toContain("--kahler");
    expect(noscale.packages).toContain("symmetry-finder");
    for (const other of ["cy-metrics", "duality-learner", "integrability", "inverse-ising", "mcmc-gpu"])
      expect(noscale.packages).not.toContain(other);
  });
});
