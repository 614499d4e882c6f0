// Makes a run directory look as if an older version had written it: a field renamed since is put
// back under its old name in config.json (inside its `config`) and result.json.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Renames the top-level field `current` back to `old` in the run's config and result. */
export async function writeWithOldFieldName(dir: string, current: string, old: string): Promise<void> {
  for (const file of ["config.json", "result.json"]) {
    const doc = JSON.parse(await readFile(join(dir, file), "utf8"));
    const o = file === "config.json" ? doc.config : doc;
    o[old] = o[current];
    delete o[current];
    await writeFile(join(dir, file), JSON.stringify(doc));
  }
}
