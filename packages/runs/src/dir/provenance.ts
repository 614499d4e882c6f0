// Where a run came from: the producing package's name and version, and the git commit of the
// code when it runs from a checkout.
import { type ExecFileSyncOptionsWithStringEncoding, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package and code that wrote a run. */
export interface Provenance {
  package: string;
  version: string;
  /** `git rev-parse HEAD` of the package's checkout, with `-dirty` when it has local changes; null outside git. */
  git: string | null;
}

const cache = new Map<string, Provenance>();

/**
 * Provenance of the package containing the module at `moduleUrl` (pass `import.meta.url`): the
 * nearest package.json upwards and the git commit of its checkout.
 */
export function provenanceOf(moduleUrl: string): Provenance {
  const hit = cache.get(moduleUrl);
  if (hit) return hit;
  let dir = dirname(fileURLToPath(moduleUrl));
  let pkg: { name?: string; version?: string } | null = null;
  for (;;) {
    try {
      pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      break;
    } catch {
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  let git: string | null = null;
  try {
    const opts: ExecFileSyncOptionsWithStringEncoding = {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    };
    git = execFileSync("git", ["rev-parse", "HEAD"], opts).trim();
    if (execFileSync("git", ["status", "--porcelain", "--untracked-files=no", "."], opts).trim() !== "") {
      git += "-dirty";
    }
  } catch {
    git = null;
  }
  const p = { package: pkg?.name ?? "unknown", version: pkg?.version ?? "0.0.0", git };
  cache.set(moduleUrl, p);
  return p;
}
