// `pnpm bench`: attempted spin flips per nanosecond for L ∈ {64, 256, 1024} × chains ∈ {1, 64},
// for every backend and kernel available here, next to a plain single-threaded JavaScript
// baseline (bench/baseline.ts). WebGPU rows appear whenever an adapter exists (set
// VK_ICD_FILENAMES for SwiftShader). Not a test: numbers depend on the machine and its load.
//
// Options (environment): BENCH_SECONDS (target seconds per row, default 1.2),
// BENCH_SIZES (e.g. "64,256"), BENCH_CHAINS (e.g. "64"). Then the packed kernel against the C
// multi-spin-coded peer (bench/vs-c.ts; BENCH_C=0 skips it).
import { availableParallelism, cpus, loadavg } from "node:os";
import { describeAdapter, getGpuContext } from "@physml/gpu-device";
import { squareLattice } from "@physml/lattice-core";
import { createSampler, type KernelKind } from "../src/index.js";
import { baselineSweeps } from "./baseline.js";
import { benchVersusC } from "./vs-c.js";

const BETA = 0.44; // near β_c: the packed kernel's hardest case (many lanes need a coin flip)
const target = Number(process.env.BENCH_SECONDS ?? 1.2);
const sizes = (process.env.BENCH_SIZES ?? "64,256,1024").split(",").map(Number);
const chainCounts = (process.env.BENCH_CHAINS ?? "1,64").split(",").map(Number);

interface Row {
  note: string;
  backend: string;
  kernel: string;
  L: number;
  chains: number;
  sweeps: number;
  flipsPerNs: number;
  ratio: number;
}

/**
 * Times `run(n)` for n chosen so that a row takes about `target` seconds. A configuration
 * whose first sweep already takes over 3·target (e.g. WebGPU on SwiftShader at L = 1024) is
 * reported from one more single sweep, and marked, to keep the whole bench within minutes.
 */
async function timeIt(
  run: (n: number) => Promise<void> | void,
  flipsPerSweep: number,
): Promise<{ sweeps: number; flipsPerNs: number; note: string }> {
  // Warm-up: JIT, WebAssembly tier-up, pipeline compilation and worker start-up (workers
  // start on the first call with enough work, so the calibration runs once untimed first).
  const t0 = performance.now();
  await run(1);
  if ((performance.now() - t0) / 1000 > 3 * target) {
    const t1 = performance.now();
    await run(1);
    return { sweeps: 1, flipsPerNs: flipsPerSweep / ((performance.now() - t1) * 1e6), note: "1 sweep" };
  }
  await calibrate(run, flipsPerSweep);
  return { ...(await calibrate(run, flipsPerSweep)), note: "" };
}

/** Grows n until a call takes target/4, then tops up to about `target` seconds in total. */
async function calibrate(
  run: (n: number) => Promise<void> | void,
  flipsPerSweep: number,
): Promise<{ sweeps: number; flipsPerNs: number }> {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    await run(n);
    const dt = (performance.now() - t0) / 1000;
    if (dt >= target / 4 || n >= 4096) {
      // Scale up to the target once the estimate is reliable.
      const more = Math.max(0, Math.min(4096, Math.round((n * (target - dt)) / dt)));
      if (more === 0) return { sweeps: n, flipsPerNs: (flipsPerSweep * n) / (dt * 1e9) };
      const t1 = performance.now();
      await run(more);
      const dt2 = (performance.now() - t1) / 1000;
      return { sweeps: n + more, flipsPerNs: (flipsPerSweep * (n + more)) / ((dt + dt2) * 1e9) };
    }
    n *= 4;
  }
}

function printTable(rows: Row[]): void {
  const head = ["backend", "kernel", "L", "chains", "sweeps", "flips/ns", "× baseline", "note"];
  const lines = rows.map((r) => [
    r.backend,
    r.kernel,
    String(r.L),
    String(r.chains),
    String(r.sweeps),
    r.flipsPerNs.toFixed(3),
    r.ratio.toFixed(1),
    r.note,
  ]);
  const widths = head.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, k) => c.padEnd(widths[k])).join(" | ")} |`;
  console.log(fmt(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const l of lines) console.log(fmt(l));
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `# mcmc-gpu bench — ${cpus()[0]?.model ?? "CPU"} × ${availableParallelism()}, Node ${process.version}, load ${loadavg()[0].toFixed(2)}, β = ${BETA}`,
  );
  const backends: ("cpu" | "webgpu")[] = ["cpu"];
  const ctx = await getGpuContext();
  if (ctx) {
    backends.push("webgpu");
    console.log(`# WebGPU adapter: ${describeAdapter(ctx.adapter)}`);
  } else {
    console.log("# no WebGPU adapter: WebGPU rows skipped (set VK_ICD_FILENAMES for SwiftShader)");
  }

  const rows: Row[] = [];
  const baseline = new Map<number, number>();
  for (const L of sizes) {
    const r = await timeIt((n) => {
      baselineSweeps(L, BETA, n, 1);
    }, L * L);
    baseline.set(L, r.flipsPerNs);
    rows.push({ backend: "plain JS", kernel: "PCG32/site", L, chains: 1, ...r, ratio: 1 });
  }
  for (const backend of backends) {
    for (const kernel of ["int", "packed"] as KernelKind[]) {
      for (const L of sizes) {
        for (const chains of chainCounts) {
          const s = await createSampler({
            lattice: squareLattice(L),
            couplings: { nn: BETA },
            chains,
            seed: 1,
            backend,
            kernel,
          });
          const r = await timeIt((n) => s.sweep(n), chains * L * L);
          await s.dispose();
          rows.push({
            backend,
            kernel,
            L,
            chains,
            ...r,
            ratio: r.flipsPerNs / (baseline.get(L) ?? Number.NaN),
          });
        }
      }
    }
  }
  printTable(rows);
  if (process.env.BENCH_C !== "0") await benchVersusC();
  console.log(
    `\n# total ${((performance.now() - started) / 1000).toFixed(0)} s, load ${loadavg()[0].toFixed(2)}`,
  );
}

await main();
