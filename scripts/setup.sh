#!/usr/bin/env bash
# Sets up a fresh Debian 12 + Node 20 machine for physml; safe to run again.
#   bash scripts/setup.sh          pnpm + workspace dependencies
#   bash scripts/setup.sh --gpu    also the SwiftShader Vulkan driver (CPU-only WebGPU for tests) and
#                                  Debian's chromium (the viewer's browser test)
#   bash scripts/setup.sh --slurm  also Debian's Slurm and munge (the one-node cluster of the
#                                  Slurm sweep test, scripts/slurm-cluster.sh)
# Flags combine: bash scripts/setup.sh --gpu --slurm
set -euo pipefail
cd "$(dirname "$0")/.."

gpu=0
slurm=0
for arg in "$@"; do
  case "$arg" in
    --gpu) gpu=1 ;;
    --slurm) slurm=1 ;;
    *)
      echo "setup: unknown flag $arg (expected --gpu and/or --slurm)" >&2
      exit 2
      ;;
  esac
done

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "physml needs Node >= 20 (found $(node --version))" >&2
  exit 1
fi

# pnpm 10.x: pnpm 11+ needs Node 22, and corepack fails on registry signatures here.
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" != "10" ]; then
  echo "setup: installing pnpm 10" >&2
  npm install -g pnpm@10 >/dev/null
fi

if [ "$gpu" = 1 ] && { [ ! -f /usr/lib/chromium/vk_swiftshader_icd.json ] || [ ! -x /usr/bin/chromium ]; }; then
  echo "setup: installing SwiftShader and the browser for the viewer's tests (Debian chromium) and the Vulkan loader" >&2
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-common libvulkan1 >/dev/null
fi

if [ "$slurm" = 1 ] && ! command -v slurmctld >/dev/null 2>&1; then
  echo "setup: installing Slurm and munge (Debian slurmctld slurmd slurm-client munge)" >&2
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    slurmctld slurmd slurm-client munge >/dev/null
fi

pnpm install --frozen-lockfile --reporter=silent
