#!/usr/bin/env bash
# Sets up everything the tests need (pnpm, dependencies, SwiftShader) and runs lint,
# typecheck and the whole test suite. The README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --gpu

# Without a hardware Vulkan driver, point Dawn at SwiftShader so every WGSL kernel is tested.
if [ -z "${VK_ICD_FILENAMES:-}" ] && ! ls /usr/share/vulkan/icd.d/*.json >/dev/null 2>&1; then
  export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
fi

# setup --gpu installed Debian's chromium: the viewer's browser test must run, not skip.
export PHYSML_REQUIRE_BROWSER=1

pnpm lint
pnpm typecheck
# The packages as published: packed, installed outside the workspace, used, type-checked.
bash scripts/consumer-test.sh
pnpm test
