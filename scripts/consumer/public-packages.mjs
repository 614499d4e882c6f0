// Prints the directory of every public (non-private) workspace package, one a line.
import { readdirSync, readFileSync } from "node:fs";

for (const group of ["packages", "apps"]) {
  for (const name of readdirSync(group)) {
    const manifest = JSON.parse(readFileSync(`${group}/${name}/package.json`, "utf8"));
    if (!manifest.private) console.log(`${group}/${name}`);
  }
}
