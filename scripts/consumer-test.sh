#!/usr/bin/env bash
# The packages as a user gets them: build, pack every public package as it would be published
# (pnpm applies publishConfig and turns workspace:^ into versions), lint each tarball with
# publint and attw, install the tarballs with npm into a fresh project outside the workspace (no
# source condition), run one short script per package and the CLI, and type-check a consumer
# under NodeNext and bundler resolution without skipLibCheck (with the DOM lib, which
# @webgpu/types — the GPUDevice types gpu-device exposes — is written against).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export TURBO_TELEMETRY_DISABLED=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin="$root/node_modules/.bin"

pnpm -s build >/dev/null
mkdir -p "$work/tgz" "$work/app"
for dir in $(node scripts/consumer/public-packages.mjs); do
  (cd "$dir" && pnpm -s pack --pack-destination "$work/tgz" >/dev/null)
done
for t in "$work"/tgz/*.tgz; do
  rm -rf "$work/x" && mkdir "$work/x" && tar -xzf "$t" -C "$work/x"
  node scripts/consumer/tarball-check.mjs "$work/x/package"
  "$bin/publint" run "$t" --strict --level warning >/dev/null || { "$bin/publint" run "$t" --strict; exit 1; }
  # attw checks import entry points; a bin-only package (the CLI) has none.
  tar -xOf "$t" package/package.json | node -e 'process.exit("exports" in JSON.parse(require("fs").readFileSync(0, "utf8")) ? 0 : 1)' || continue
  "$bin/attw" "$t" --profile esm-only --no-emoji --no-color --format ascii >"$work/attw.txt" 2>&1 ||
    { cat "$work/attw.txt"; echo "consumer: attw found problems in $(basename "$t")" >&2; exit 1; }
done
echo "consumer: manifests, publint and attw clean for $(ls "$work"/tgz | wc -l) tarballs"

cd "$work/app"
printf '{ "name": "physml-consumer", "private": true, "type": "module" }\n' >package.json
npm install --no-audit --no-fund --loglevel=error "$work"/tgz/*.tgz @types/node@20 >/dev/null
cp "$root"/scripts/consumer/check-*.mjs "$root"/scripts/consumer/types.ts .
for f in check-*.mjs; do node "$f"; done
npx --no-install physml --help >/dev/null
# Five steps cannot learn the dual: the learner's own check fails it (exit 3), which is the point.
code=0
npx --no-install physml duality kw --beta 0.3 --L 8 --steps 5 --explore-steps 0 --backend cpu --json \
  >result.json 2>/dev/null || code=$?
[ "$code" = 3 ] || { echo "consumer: duality kw exited $code, expected 3 (a 5-step run fails validation)" >&2; exit 1; }
node -e 'const r = JSON.parse(require("fs").readFileSync("result.json", "utf8")); if (!Number.isFinite(r.t0) || r.validation.passed !== false) throw new Error("no t0 or no failed validation"); console.log(`cli: duality kw ran from the tarball (t0 = ${r.t0.toFixed(3)} after 5 steps, validation failed as it should)`)'
# A sweep from the tarball: its workers run the installed CLI (dist/main.js), not the sources.
code=0
npx --no-install physml sweep duality kw --L 4 --steps 5 --explore-steps 0 --chains 16 --backend cpu \
  --grid seed=1,2 --out sweep --max-parallel 2 --quiet >sweep.txt 2>&1 || code=$?
[ "$code" = 3 ] && grep -q "2 points: 2 done" sweep.txt ||
  { cat sweep.txt; echo "consumer: sweep exited $code, expected 3 with 2 points done" >&2; exit 1; }
node -e 'const m = JSON.parse(require("fs").readFileSync("sweep/sweep.json", "utf8")); if (!m.worker.some((w) => w.endsWith("dist/main.js"))) throw new Error(`worker: ${m.worker.join(" ")}`); console.log(`cli: a 2-point sweep ran from the tarball (worker: ${m.worker.slice(1).join(" ")})`)'
for res in NodeNext bundler; do
  mod=$([ "$res" = bundler ] && echo ESNext || echo NodeNext)
  "$bin/tsc" --noEmit --strict --skipLibCheck false --module "$mod" --moduleResolution "$res" --target ES2022 \
    --lib ES2023,DOM --types node types.ts
done
echo "consumer: types resolve under NodeNext and bundler without skipLibCheck"
