#!/usr/bin/env bash
# Sets up physml and runs the main job: learning the Kramers–Wannier dual of the 2d Ising
# model at β = 0.3 on a 16×16 torus from correlators alone. Extra arguments are passed on,
# e.g. `bash scripts/main-job.sh --beta 0.6`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm --silent physml duality kw --beta 0.3 --L 16 --out runs/kw-main "$@"
