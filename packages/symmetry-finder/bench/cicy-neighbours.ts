// pnpm bench:cicy-neighbours — the neighbour analysis of a finished `physml symmetry cicy` run
// directory, again, with another number of scored arrangements per CICY: the network is rebuilt
// from the run's config.json and its newest checkpoint, the fixed set redrawn from the seed.
//   node --conditions=@physml/source --import tsx bench/cicy-neighbours.ts run=runs/cicy-303 anchors=87
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readRunConfig } from "@physml/runs";
import { cicyNeighbourShares } from "../src/cicy/analysis.js";
import { type CicyOptions, cicyConfigOf, cicysOf } from "../src/cicy/config.js";
import { readCicyList } from "../src/cicy/data.js";
import { cicyNetwork, cicySplit, fixedTrainingSet } from "../src/cicy/model.js";
import { checkTrainingCheckpoint, resumedState } from "../src/run/checkpoint.js";

const arg = Object.fromEntries(process.argv.slice(2).map((a) => a.split("=") as [string, string]));
const dir = arg.run;
const stored = dir ? readRunConfig(dir) : null;
if (!stored) throw new Error("run=<a physml symmetry cicy run directory>");
const o = stored.config as CicyOptions;
if (o.arrangements === undefined) throw new Error("the run did not train on a fixed set (--arrangements)");
const cfg = cicyConfigOf(o);
const cicys = cicysOf((await readCicyList(o.data)).cicys, o);
const newest = readdirSync(join(dir, "checkpoint"))
  .filter((f) => /^step-\d+\.json$/.test(f))
  .sort()
  .at(-1);
if (!newest) throw new Error(`no checkpoint in ${dir}`);
const cp = checkTrainingCheckpoint(
  JSON.parse(readFileSync(join(dir, "checkpoint", newest), "utf8")).state,
  "cicy",
);
const net = cicyNetwork(cfg);
const state = resumedState(cp, net.init(), Number.POSITIVE_INFINITY);
const fixed = fixedTrainingSet(cicys, cfg, cicySplit(cicys, cfg));
const t0 = performance.now();
const { all, classes } = cicyNeighbourShares({ net, state: { ...state } }, cicys, fixed, {
  anchorsPerCicy: Number(arg.anchors ?? o.neighbourAnchors),
});
const share = (r: { report: { shareAbove: number; meanScore: number; perLabel: unknown[] } }) =>
  `${r.report.shareAbove.toFixed(4)} of ${r.report.perLabel.length} labels (mean score ${r.report.meanScore.toFixed(4)})`;
console.log(
  `${newest}, ${cicys.length} CICYs, ${fixed.index.length} inputs, anchors ${arg.anchors ?? o.neighbourAnchors} per CICY`,
);
console.log(`all: ${share(all)}`);
for (const c of classes) console.log(`within (${c.h11}, ${c.h21}), ${c.cicys} CICYs: ${share(c.neighbours)}`);
console.log(
  `confused pairs sharing (h11, h21, c2.J): ${all.confusedSameInvariants.toFixed(4)}, sharing (h11, h21): ${all.confusedSameHodge.toFixed(4)}, of ${all.confusedPairs}; ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
