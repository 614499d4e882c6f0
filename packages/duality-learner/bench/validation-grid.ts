// The validation grid of the README: L ∈ {8, 12, 16} × seeds 1–10 × β ∈ {0.3, 0.6}, defaults,
// CPU backend, one run at a time (a measurement, not a test). Interleaved by seed so that a
// partial grid still covers every (L, β). One JSON line per run on stdout; progress on stderr.
// Arguments `L:β:seed` name runs to skip (measured already with the same code); `--shard i/n`
// runs only every n-th run starting at the i-th (0-based), so n processes share the grid.
//   node --conditions=@physml/source --import tsx packages/duality-learner/bench/validation-grid.ts > grid.jsonl
import { learnDuality } from "../src/index.js";

const args = process.argv.slice(2);
const shardAt = args.indexOf("--shard");
const [shard, shards] = shardAt >= 0 ? args[shardAt + 1].split("/").map(Number) : [0, 1];
const skip = new Set(args.filter((_, i) => i !== shardAt && i !== shardAt + 1));
let index = -1;
const Ls = [8, 12, 16];
const betas = [0.3, 0.6];
for (let seed = 1; seed <= 10; seed++) {
  for (const L of Ls) {
    for (const beta of betas) {
      index++;
      if (index % shards !== shard || skip.has(`${L}:${beta}:${seed}`)) continue;
      const r = await learnDuality({ beta, L, seed, backend: "cpu" });
      const row = {
        L,
        beta,
        seed,
        t0: r.t0,
        t0Error: r.t0Error,
        dualBeta: r.exact?.dualBeta,
        relativeError: r.relativeError,
        passed: r.validation.passed,
        chi2PerDof: r.validation.chi2PerDof,
        maxPull: r.validation.maxPull,
        failures: r.validation.failures,
        start: r.exploration?.chosen,
        boundary: r.targetBoundary,
        link: r.attention.chosen.kind,
        failedAttempts: r.failedAttempts,
        seconds: r.seconds,
      };
      process.stdout.write(`${JSON.stringify(row)}\n`);
      process.stderr.write(
        `L=${L} β=${beta} seed=${seed}: ${(100 * (r.relativeError ?? 0)).toFixed(2)}% χ²/dof ${r.validation.chi2PerDof.toFixed(2)} ${r.validation.passed ? "passed" : "FAILED"} ${r.seconds.toFixed(0)} s\n`,
      );
    }
  }
}
