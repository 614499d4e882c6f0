// The three runs as the CLI calls them: validate, open the run directory, run the task, check.

import { MAX_ENUMERATED_SITES } from "../chain/dataset.js";
import { type ChainPoint, chainPoint } from "../chain/task.js";
import {
  type ChainConfig,
  resolveChainConfig,
  resolveFourierConfig,
  resolveIsing2dConfig,
} from "../config.js";
import { fourierTask } from "../fourier/task.js";
import { ENERGY_PULL_LIMIT, type Ising2dPoint, ising2dPoint } from "../ising2d/task.js";
import { chainMemory, checkMemory, fourierMemory, ising2dMemory } from "./memory.js";
import { chainReport, fourierReport, ising2dReport } from "./reports.js";
import { inRunDir, type RunDirOptions } from "./run-dir.js";
import type { ChainRunResult, DualrepValidation, FourierRunResult, Ising2dRunResult } from "./run-results.js";

const validationOf = (failures: string[]): DualrepValidation => ({ passed: failures.length === 0, failures });

function chainFailures(c: ChainConfig, points: ChainPoint[]): string[] {
  const f: string[] = [];
  for (const p of points) {
    if (!p.exact.passed)
      f.push(
        `n=${p.n}: dual ln Z ${p.exact.lnZDual} vs transfer matrix ${p.exact.lnZTransfer}${p.exact.lnZEnumerated !== undefined ? ` vs enumeration ${p.exact.lnZEnumerated}` : ""}`,
      );
    if (p.data.labelMismatches > 0)
      f.push(
        `n=${p.n}: ${p.data.labelMismatches} of ${p.data.labelsChecked} stability labels differ between ΔE and the σ windows`,
      );
    if (p.data.perClass < 2) f.push(`n=${p.n}: fewer than 2 examples per class (chain of ${c.sites})`);
  }
  return f;
}

export async function runChain(
  input: unknown,
  opts: RunDirOptions,
): Promise<ChainRunResult & { out: string }> {
  return inRunDir(
    "dualrep-chain",
    input,
    (i) => {
      const c = resolveChainConfig(i);
      // Name whichever size dominates: the enumerated states (--sites) or the rows (--per-class).
      const byRows = c.sites > MAX_ENUMERATED_SITES || 2 * c.perClass * c.sites * 64 > 2 ** c.sites * 16;
      checkMemory(chainMemory(c), c.maxMemory, byRows ? "perClass" : "sites", byRows ? c.perClass : c.sites);
      return c;
    },
    opts,
    (c, fit) => {
      const t0 = performance.now();
      const points = c.n.map((n) => chainPoint(c, n, fit));
      const failures = chainFailures(c, points);
      return {
        sites: c.sites,
        rows: points,
        validation: validationOf(failures),
        seconds: (performance.now() - t0) / 1000,
      };
    },
    chainReport,
  );
}

export async function runIsing2d(
  input: unknown,
  opts: RunDirOptions,
): Promise<Ising2dRunResult & { out: string }> {
  return inRunDir(
    "dualrep-ising2d",
    input,
    (i) => {
      const c = resolveIsing2dConfig(i);
      checkMemory(ising2dMemory(c), c.maxMemory, "samples", c.samples);
      return c;
    },
    opts,
    async (c, fit) => {
      const t0 = performance.now();
      const points: Ising2dPoint[] = [];
      for (const T0 of c.temperatures) points.push(await ising2dPoint(c, T0, fit));
      const failures: string[] = [];
      for (const p of points)
        for (const pair of [p.original, p.dual])
          for (const t of pair.temperatures)
            if (Math.abs(t.pull) > ENERGY_PULL_LIMIT)
              failures.push(
                `T=${t.T.toFixed(4)}: sampled energy ${t.energy.toFixed(5)} ± ${t.energyError.toFixed(5)} vs exact ${t.energyExact.toFixed(5)} (${t.pull.toFixed(1)}σ): not equilibrated, raise --warmup`,
              );
      return {
        L: c.L,
        deltaT: c.deltaT,
        rows: points,
        validation: validationOf(failures),
        seconds: (performance.now() - t0) / 1000,
      };
    },
    ising2dReport,
  );
}

export async function runFourier(
  input: unknown,
  opts: RunDirOptions,
): Promise<FourierRunResult & { out: string }> {
  return inRunDir(
    "dualrep-fourier",
    input,
    (i) => {
      const c = resolveFourierConfig(i);
      checkMemory(fourierMemory(c), c.maxMemory, "examples", c.examples);
      return c;
    },
    opts,
    (c, fit) => {
      const t0 = performance.now();
      const r = fourierTask(c, fit);
      const failures: string[] = [];
      // The DFT rows are pure modes: a concentration below 1 means the measure itself is wrong.
      if (Math.abs(r.concentrationDft - 1) > 1e-9)
        failures.push(`DFT concentration ${r.concentrationDft} ≠ 1`);
      return {
        ...r,
        length: c.length,
        validation: validationOf(failures),
        seconds: (performance.now() - t0) / 1000,
      };
    },
    fourierReport,
  );
}
