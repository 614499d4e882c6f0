// The replica-packed kernel against a C multi-spin-coded Metropolis (bench/c/msc.c: 64 replicas
// per uint64, gcc -O3 -march=native -fopenmp, 2 OpenMP threads), at L = 256 with 256 chains,
// β = 0.44, in the same run: rounds interleave C, the WebAssembly SIMD kernel and the JavaScript
// packed kernel (both on all threads, as the CPU backend runs them), and the medians and the
// ratio ours/C are printed. Every contender starts cold and runs WARM untimed sweeps first.
// Run alone with `pnpm bench:c`; `pnpm bench` runs it after the main table.
//
// Options (environment): BENCH_C_ROUNDS (default 5), BENCH_C_SECONDS (seconds per timed run,
// default 1).
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Couplings, squareLattice } from "@physml/lattice-core";
import type { SamplerBackend } from "../src/backend.js";
import { createCpuBackend } from "../src/cpu/backend.js";

const L = 256;
const CHAINS = 256;
const BETA = 0.44;
const WARM = 200;
const THREADS = 2;
const rounds = Number(process.env.BENCH_C_ROUNDS ?? 5);
const seconds = Number(process.env.BENCH_C_SECONDS ?? 1);
const flipsPerSweep = CHAINS * L * L;

/** Compiles msc.c; the binary's path, or the reason it cannot be built. */
function buildPeer(): { bin: string } | { skip: string } {
  const src = fileURLToPath(new URL("./c/msc.c", import.meta.url));
  const bin = join(mkdtempSync(join(tmpdir(), "physml-msc-")), "msc");
  const args = ["-O3", "-march=native", "-fopenmp", src, "-o", bin, "-lm"];
  const r = spawnSync("gcc", args, { encoding: "utf8" });
  if (r.error) return { skip: `gcc not available (${r.error.message})` };
  if (r.status !== 0) return { skip: `gcc failed: ${r.stderr.trim().split("\n")[0]}` };
  return { bin };
}

/** One run of the C peer: flips/ns of `sweeps` timed sweeps after WARM untimed ones. */
function runPeer(bin: string, sweeps: number): { flipsPerNs: number; energy: number } {
  const r = spawnSync(bin, [String(L), String(CHAINS), String(sweeps), String(BETA), "1", String(WARM)], {
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: String(THREADS) },
  });
  const m = /flips_per_ns (\S+) energy_per_site (\S+)/.exec(r.stdout ?? "");
  if (r.status !== 0 || !m) throw new Error(`msc failed: ${r.stderr || r.stdout}`);
  return { flipsPerNs: Number(m[1]), energy: Number(m[2]) };
}

async function ours(simd: boolean): Promise<SamplerBackend> {
  const couplings: Couplings = { nn: BETA, plaquette: 0, nnn: 0, field: 0 };
  const b = await createCpuBackend(
    {
      lattice: squareLattice(L),
      chains: CHAINS,
      seed: 1,
      kernel: "packed",
      colours: 2,
      couplings: Array(CHAINS).fill(couplings),
      init: "cold",
    },
    { threads: THREADS, simd },
  );
  await b.sweep(WARM); // also starts the workers and lets the engine tier up
  return b;
}

async function timeSweeps(b: SamplerBackend, sweeps: number): Promise<number> {
  const t0 = performance.now();
  await b.sweep(sweeps);
  return (flipsPerSweep * sweeps) / ((performance.now() - t0) * 1e6);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/** Sweeps for about `seconds` at rate `flipsPerNs`. */
const sweepsFor = (flipsPerNs: number) =>
  Math.max(4, Math.round((seconds * 1e9 * flipsPerNs) / flipsPerSweep));

export async function benchVersusC(): Promise<void> {
  console.log(
    `\n# replica-packed kernel vs C multi-spin coding: L = ${L}, ${CHAINS} chains, β = ${BETA}, ${THREADS} threads, ${rounds} interleaved rounds of ~${seconds} s each, ${WARM} warm-up sweeps from cold; load ${loadavg()[0].toFixed(2)} (${availableParallelism()} cores)`,
  );
  const peer = buildPeer();
  if ("skip" in peer) {
    console.log(`# C peer skipped: ${peer.skip}`);
    return;
  }
  const simd = await ours(true);
  const js = await ours(false);
  try {
    if (!simd.adapter.includes("SIMD"))
      console.log("# no WebAssembly SIMD here: the 'simd' row runs JavaScript");
    // Calibration runs, untimed for the report.
    const nC = sweepsFor(runPeer(peer.bin, 20).flipsPerNs);
    const nS = sweepsFor(await timeSweeps(simd, 20));
    const nJ = sweepsFor(await timeSweeps(js, 10));
    const rows: { c: number; simd: number; js: number; energy: number }[] = [];
    for (let r = 0; r < rounds; r++) {
      const c = runPeer(peer.bin, nC);
      const s = await timeSweeps(simd, nS);
      const j = await timeSweeps(js, nJ);
      rows.push({ c: c.flipsPerNs, simd: s, js: j, energy: c.energy });
      console.log(
        `# round ${r + 1}: C ${c.flipsPerNs.toFixed(3)}, WebAssembly SIMD ${s.toFixed(3)}, JavaScript ${j.toFixed(3)} flips/ns (load ${loadavg()[0].toFixed(2)})`,
      );
    }
    const mc = median(rows.map((r) => r.c));
    const ms = median(rows.map((r) => r.simd));
    const mj = median(rows.map((r) => r.js));
    const ratio = median(rows.map((r) => r.simd / r.c));
    console.log("| kernel | flips/ns (median) | × C |");
    console.log("|---|---|---|");
    console.log(
      `| C multi-spin coding (gcc -O3, 2 OpenMP threads, ${nC} sweeps/run) | ${mc.toFixed(3)} | 1.00 |`,
    );
    console.log(
      `| packed, WebAssembly SIMD (${simd.adapter}, ${nS} sweeps/run) | ${ms.toFixed(3)} | ${(ms / mc).toFixed(2)} |`,
    );
    console.log(`| packed, JavaScript (${nJ} sweeps/run) | ${mj.toFixed(3)} | ${(mj / mc).toFixed(2)} |`);
    console.log(
      `# ratio ours/C: ${ratio.toFixed(2)} (median of per-round ratios; ${(ms / mc).toFixed(2)} from the medians); C's final energy/site ${median(rows.map((r) => r.energy)).toFixed(4)}; load ${loadavg()[0].toFixed(2)}`,
    );
  } finally {
    await simd.dispose();
    await js.dispose();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchVersusC();
