#!/usr/bin/env bash
# Sets up everything the tests need (pnpm, dependencies, SwiftShader) and runs lint,
# typecheck and the whole test suite. The README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
# As root (CI's fresh Debian machine), also Slurm and munge for the Slurm sweep test, which is
# skipped with a printed reason elsewhere.
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  bash scripts/setup.sh --gpu --slurm
else
  bash scripts/setup.sh --gpu
fi

# Without a hardware Vulkan driver, point Dawn at SwiftShader so every WGSL kernel is tested.
if [ -z "${VK_ICD_FILENAMES:-}" ] && ! ls /usr/share/vulkan/icd.d/*.json >/dev/null 2>&1; then
  export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
fi

# setup --gpu installed Debian's chromium: the viewer's browser test must run, not skip.
export PHYSML_REQUIRE_BROWSER=1

pnpm lint
# Stryker adds `// @ts-nocheck` to every TypeScript file while it mutates in place; a commit made
# meanwhile would switch type checking off for that file without anyone asking for it.
if git grep -n '@ts-nocheck' -- '*.ts' '*.tsx' 2>/dev/null; then
  echo "test.sh: the files above switch type checking off (@ts-nocheck); remove the line" >&2
  exit 1
fi
pnpm typecheck
# The packages as published: packed, installed outside the workspace, used, type-checked.
bash scripts/consumer-test.sh
pnpm test
