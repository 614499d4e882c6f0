// `pnpm bench`, complex part (issue 16): CPU timings of the complex workloads, each against a
// baseline run in the same process and checked to agree with it first. Not a test. Alone:
//   node --conditions=@physml/source --import tsx bench/complex.ts [--quick]
// 1. log|det H| + gradient of 10⁴ Hermitian 5×5 matrices (complex LU primitives), against the
//    same through the real 10×10 embedding and the real logdet (det = |det H|²).
// 2. g_{ab̄} = ∂_a∂̄_b K of the degree-3 algebraic Kähler potential K = log Σ_β |(Lᴴ s(z))_β|² on
//    10⁴ points of P⁴ (s: the 35 cubic monomials; L = I gives K = log Σ|s_α|²), by `ddbar`,
//    against a hand-written closed form (loops) for the same g.
// 3. The Calabi–Yau-shaped step: gradient with respect to L of mean log det g on an affine chart.
import os from "node:os";
import * as C from "../src/complex/index.js";
import { eye, logdet, matmulThreads, ones, random, type Tensor } from "../src/index.js";
import { matmulStats } from "../src/kernels/matmul.js";

const quick = process.argv.includes("--quick");
const B = 10_000;

interface Row {
  name: string;
  ms: number;
  range: [number, number];
  cpu: number;
  gflops: number | null;
  note: string;
}
const rows: Row[] = [];

/**
 * Median (and range) of `reps` timed runs after `warm` warm-up runs, the process CPU time per run
 * (all threads; on a shared machine the wall time also counts waiting for a core), and the
 * matrix-product flops of one run.
 */
function bench(
  fn: () => unknown,
  reps: number,
  warm: number,
): { ms: number; range: [number, number]; cpu: number; mmFlops: number } {
  for (let i = 0; i < warm; i++) fn();
  const f0 = matmulStats.flops;
  const c0 = process.cpuUsage();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  const c = process.cpuUsage(c0);
  ts.sort((a, b) => a - b);
  return {
    ms: ts[Math.floor(ts.length / 2)],
    range: [ts[0], ts[ts.length - 1]],
    cpu: (c.user + c.system) / 1000 / reps,
    mmFlops: (matmulStats.flops - f0) / reps,
  };
}
const gf = (flops: number, ms: number) => flops / (ms * 1e6);
const crand = (shape: number[], seed: number) =>
  C.complex(random.normal(random.key(seed), shape), random.normal(random.key(seed + 1), shape));
function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return m / s;
}
const flatC = (z: C.ComplexTensor) => Float64Array.from([...z.re.toFloat64Array(), ...z.im.toFloat64Array()]);

// ---------------------------------------------------------------- 1. Hermitian log det + gradient
{
  const n = 5;
  const R = crand([B, n, n], 1);
  const H = C.add(C.matmul(R, C.mH(R)), eye(n)); // Hermitian positive definite
  const lossLU = (h: C.ComplexTensor) => C.slogdet(h).logabs.mean();
  const lossEmb = (h: C.ComplexTensor) => logdet(C.realEmbedding(h)).mean().mul(0.5);
  const [v1, g1] = C.valueAndGrad(lossLU)(H) as [Tensor, C.ComplexTensor];
  const [v2, g2] = C.valueAndGrad(lossEmb)(H) as [Tensor, C.ComplexTensor];
  const dv = Math.abs(v1.item() - v2.item());
  const dg = maxRelDiff(flatC(g1), flatC(g2));
  if (dv > 1e-12 || dg > 1e-10) throw new Error(`log det paths disagree: value ${dv}, gradient ${dg}`);
  // complex LU ≈ n³/3 complex multiply-adds (8 real flops each); the inverse for the gradient ≈ n³
  const nominal = B * 8 * (n ** 3 / 3 + n ** 3);
  const t = bench(() => C.valueAndGrad(lossLU)(H), quick ? 3 : 15, 2);
  rows.push({
    name: `log\\|det H\\| + gradient, ${B} Hermitian 5×5`,
    ms: t.ms,
    range: t.range,
    cpu: t.cpu,
    gflops: gf(nominal, t.ms),
    note: "complex LU primitives (slogdet, inverse); GFLOP/s of the nominal LU + inverse flops",
  });
  const e = bench(() => C.valueAndGrad(lossEmb)(H), quick ? 3 : 15, 2);
  rows.push({
    name: "  baseline: real 10×10 embedding, real logdet",
    ms: e.ms,
    range: e.range,
    cpu: e.cpu,
    gflops: gf(B * 2 * ((2 * n) ** 3 / 3 + (2 * n) ** 3), e.ms),
    note: `½·logdet([[Re H, −Im H], [Im H, Re H]]); agrees to ${dg.toExponential(0)} (gradient)`,
  });
}

// ---------------------------------------------------------------- 2, 3. ∂∂̄ of an algebraic Kähler potential on P⁴
const N = 5; // homogeneous coordinates of P⁴
const MONO: [number, number, number][] = [];
for (let i = 0; i < N; i++) for (let j = i; j < N; j++) for (let k = j; k < N; k++) MONO.push([i, j, k]);
const S = MONO.length; // 35
const col = (p: number) => MONO.map((m) => m[p]);
const sections = (z: C.ComplexTensor) =>
  C.mul(C.mul(C.gather(z, col(0), 1), C.gather(z, col(1), 1)), C.gather(z, col(2), 1));
/** K = log Σ_β |(Lᴴ s)_β|² = log s̄ᵀ(L Lᴴ)s, per point. */
const kahler = (L: C.ComplexTensor) => (z: C.ComplexTensor) =>
  C.abs2(C.matmul(sections(z), C.conj(L)))
    .sum(1)
    .log();

/** The same metric by its closed form, in loops: g = (Σ ∂t ∂t̄)/|t|² − (Σ ∂t t̄)(Σ t ∂t̄)/|t|⁴, t = Lᴴ s. */
function closedForm(z: C.ComplexTensor, L: C.ComplexTensor): { re: Float64Array; im: Float64Array } {
  const zr = z.re.toFloat64Array();
  const zi = z.im.toFloat64Array();
  const lr = L.re.toFloat64Array();
  const li = L.im.toFloat64Array();
  const np = z.shape[0];
  const gr = new Float64Array(np * N * N);
  const gi = new Float64Array(np * N * N);
  // columns 0…N−1 of ds: ∂s/∂z_c; column N: s itself (so t = Lᴴs and ∂t = Lᴴ∂s are one loop)
  const W = N + 1;
  const dsr = new Float64Array(S * W);
  const dsi = new Float64Array(S * W);
  const dtr = new Float64Array(S * W);
  const dti = new Float64Array(S * W);
  for (let p = 0; p < np; p++) {
    const o = p * N;
    dsr.fill(0);
    dsi.fill(0);
    MONO.forEach((m, a) => {
      for (let q = 0; q < 3; q++) {
        // the product of the other two factors is ∂s/∂z_{m[q]} (summed over repeated factors)
        const u = m[(q + 1) % 3];
        const v = m[(q + 2) % 3];
        const pr = zr[o + u] * zr[o + v] - zi[o + u] * zi[o + v];
        const pi = zr[o + u] * zi[o + v] + zi[o + u] * zr[o + v];
        dsr[a * W + m[q]] += pr;
        dsi[a * W + m[q]] += pi;
        if (q === 0) {
          dsr[a * W + N] = pr * zr[o + m[0]] - pi * zi[o + m[0]];
          dsi[a * W + N] = pr * zi[o + m[0]] + pi * zr[o + m[0]];
        }
      }
    });
    // t_β = Σ_α conj(L_αβ) s_α and ∂t_β = Σ_α conj(L_αβ) ∂s_α
    for (let b = 0; b < S; b++) {
      for (let c = 0; c < W; c++) {
        let xr = 0;
        let xi = 0;
        for (let a = 0; a < S; a++) {
          const cr = lr[a * S + b];
          const ci = -li[a * S + b];
          xr += cr * dsr[a * W + c] - ci * dsi[a * W + c];
          xi += cr * dsi[a * W + c] + ci * dsr[a * W + c];
        }
        dtr[b * W + c] = xr;
        dti[b * W + c] = xi;
      }
    }
    let s2 = 0;
    for (let b = 0; b < S; b++) s2 += dtr[b * W + N] ** 2 + dti[b * W + N] ** 2;
    const vr = new Float64Array(N);
    const vi = new Float64Array(N);
    for (let c = 0; c < N; c++) {
      for (let b = 0; b < S; b++) {
        const tr = dtr[b * W + N];
        const ti = dti[b * W + N];
        vr[c] += dtr[b * W + c] * tr + dti[b * W + c] * ti;
        vi[c] += dti[b * W + c] * tr - dtr[b * W + c] * ti;
      }
    }
    for (let a = 0; a < N; a++) {
      for (let c = 0; c < N; c++) {
        let xr = 0;
        let xi = 0;
        for (let b = 0; b < S; b++) {
          xr += dtr[b * W + a] * dtr[b * W + c] + dti[b * W + a] * dti[b * W + c];
          xi += dti[b * W + a] * dtr[b * W + c] - dtr[b * W + a] * dti[b * W + c];
        }
        const k = p * N * N + a * N + c;
        gr[k] = xr / s2 - (vr[a] * vr[c] + vi[a] * vi[c]) / (s2 * s2);
        gi[k] = xi / s2 - (vi[a] * vr[c] - vr[a] * vi[c]) / (s2 * s2);
      }
    }
  }
  return { re: gr, im: gi };
}
// complex multiply-adds per point of the closed form: t (S²), ∂t (S²N), Σ∂t∂t̄ (S N²), v (S N)
const closedFlops = 8 * (S * S + S * S * N + S * N * N + S * N);

{
  // points (1, w) of the affine chart z₀ = 1 of P⁴
  const w = crand([B, N - 1], 3);
  const z = C.concat([C.complex(ones([B, 1])), w], 1);
  const L = C.add(C.complex(eye(S)), C.mul(crand([S, S], 5), 0.3));
  const Id = C.complex(eye(S));
  const g = C.ddbar(kahler(L))(z);
  const ref = closedForm(z, L);
  const dg = maxRelDiff(flatC(g), Float64Array.from([...ref.re, ...ref.im]));
  if (dg > 1e-10) throw new Error(`ddbar disagrees with the closed form: ${dg}`);
  const gFS = C.ddbar(kahler(Id))(z);
  const refFS = closedForm(z, Id);
  const dFS = maxRelDiff(flatC(gFS), Float64Array.from([...refFS.re, ...refFS.im]));
  if (dFS > 1e-10) throw new Error(`ddbar (L = I) disagrees with the closed form: ${dFS}`);

  const tH = bench(() => C.ddbar(kahler(L))(z), quick ? 2 : 7, 1);
  rows.push({
    name: `∂∂̄ log s̄ᵀHs, ${B} points of P⁴, 35 cubic sections, H = LLᴴ`,
    ms: tH.ms,
    range: tH.range,
    cpu: tH.cpu,
    gflops: gf(tH.mmFlops, tH.ms),
    note: `ddbar (perSampleHessian, 10 real directions); GFLOP/s of the matrix products; agrees with the closed form to ${dg.toExponential(0)}`,
  });
  const tI = bench(() => C.ddbar(kahler(Id))(z), quick ? 2 : 7, 1);
  rows.push({
    name: "  the same with K = log Σ\\|s_α\\|² (no H)",
    ms: tI.ms,
    range: tI.range,
    cpu: tI.cpu,
    gflops: null,
    note: "no matrix products (elementwise and gathers only)",
  });
  const tC = bench(() => closedForm(z, L), quick ? 2 : 5, 1);
  rows.push({
    name: "  baseline: closed form in loops (with H)",
    ms: tC.ms,
    range: tC.range,
    cpu: tC.cpu,
    gflops: gf(B * closedFlops, tC.ms),
    note: "bench/complex.ts closedForm: t = Lᴴs, ∂t, then g; all flops counted",
  });

  // 3. gradient with respect to L of mean log det g on the chart (w-block: drop z₀)
  const cyLoss = (l: C.ComplexTensor) => {
    const gz = C.ddbar(kahler(l))(z);
    return C.slogdet(C.slice(gz, [0, 1, 1], [B, N, N])).logabs.mean();
  };
  const tL = bench(() => C.valueAndGrad(cyLoss)(L), quick ? 1 : 3, 1);
  rows.push({
    name: "∂/∂L mean log det g (chart z₀ = 1), same points",
    ms: tL.ms,
    range: tL.range,
    cpu: tL.cpu,
    gflops: gf(tL.mmFlops, tL.ms),
    note: "valueAndGrad ∘ slogdet ∘ ddbar (reverse over forward over reverse)",
  });
}

// ---------------------------------------------------------------- report
const load = os.loadavg()[0];
console.log(
  `\ncomplex workloads — machine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load(1 min) ${load.toFixed(2)}, matrix products on ${matmulThreads()} thread(s)\n`,
);
console.log("| workload | ms (median) | range | CPU ms/run | GFLOP/s | how |");
console.log("|---|---:|---:|---:|---:|---|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.ms.toFixed(1)} | ${r.range[0].toFixed(0)}–${r.range[1].toFixed(0)} | ${r.cpu.toFixed(0)} | ${r.gflops === null ? "–" : r.gflops.toFixed(2)} | ${r.note} |`,
  );
}
const ratio = (a: number, b: number) => (rows[a].ms / rows[b].ms).toFixed(2);
console.log(
  `\nratios (same run): LU path / embedding = ${ratio(0, 1)}; ddbar / closed-form loops = ${ratio(2, 4)}`,
);
if (load >= 1.5)
  console.log(
    `warning: load average ${load.toFixed(2)} ≥ 1.5 — other processes share the cores; numbers are pessimistic.`,
  );
