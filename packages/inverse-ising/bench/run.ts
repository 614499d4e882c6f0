// The README's L = 16 table: sample (mcmc-gpu, CPU), recover, compare with the truth. Wall times
// on this machine (2 shared cores); run with `pnpm -F @physml/inverse-ising bench`.
import { runInverseIsing } from "../src/index.js";

const points = [
  { beta: 0.3, nnn: 0.05, plaquette: 0, samplesCount: 2048 },
  { beta: 0.3, nnn: 0, plaquette: 0.05, samplesCount: 2048 },
  { beta: 0.2, nnn: 0.05, plaquette: 0.05, samplesCount: 2048 },
  { beta: 0.3, nnn: 0.05, plaquette: 0, samplesCount: 8192 },
  { beta: 0.6, nnn: 0, plaquette: 0, samplesCount: 2048 },
  { beta: 0.6, nnn: 0.05, plaquette: 0, samplesCount: 2048 },
];
const args = process.argv.slice(2).map(Number);
console.log("| β | nnn | κ | samples | nn | nnn | plaquette | sample s | fit s | converged |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const p of args.length ? args.map((k) => points[k]) : points) {
  const r = await runInverseIsing({ L: 16, seed: 1, ...p });
  const cell = (name: string) => {
    const t = r.terms.find((x) => x.name === name);
    if (!t) return "";
    const rel = t.relativeError !== undefined ? `, ${(100 * t.relativeError).toFixed(2)} %` : "";
    return `${t.value.toFixed(4)} ± ${t.error.toFixed(4)} (pull ${t.pull?.toFixed(2)}${rel})`;
  };
  console.log(
    `| ${p.beta} | ${p.nnn} | ${p.plaquette} | ${r.samples} | ${cell("nn")} | ${cell("nnn")} | ${cell("plaquette")} | ${r.sampling?.seconds.toFixed(2)} | ${r.fitSeconds.toFixed(2)} | ${r.converged} |`,
  );
}
