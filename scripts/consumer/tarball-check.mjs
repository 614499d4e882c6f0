// Checks one packed tarball (already extracted: argv[2] is its `package/` folder) against the
// packaging mistakes that publint and attw do not see: a development-only export condition left
// in the published manifest, a `files` entry that packed nothing (e.g. shaders copied only by a
// pack hook), and source maps whose sources were not shipped.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(process.argv[2]);
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const problems = [];

const exportsText = JSON.stringify(manifest.exports ?? {});
if (exportsText.includes("@physml/source"))
  problems.push("the published exports keep the @physml/source condition (it points at TypeScript sources)");

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [relative(root, p)];
  });
}
const shipped = walk(root);

for (const entry of manifest.files ?? []) {
  if (entry.startsWith("!") || entry.includes("*")) continue;
  if (!shipped.some((f) => f === entry || f.startsWith(`${entry}/`)))
    problems.push(`"files" names ${entry} but the tarball has nothing there`);
}

for (const map of shipped.filter((f) => f.endsWith(".map"))) {
  const { sources = [] } = JSON.parse(readFileSync(join(root, map), "utf8"));
  for (const s of sources) {
    const target = resolve(dirname(join(root, map)), s);
    if (!existsSync(target)) {
      problems.push(`${map} points at ${relative(root, target)}, which is not shipped`);
      break;
    }
  }
}

if (problems.length) {
  console.error(`${manifest.name}:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
