import { resolveLinesConfig } from "../src/config.js";
import { runLines } from "../src/run/lines.js";

const args = JSON.parse(process.argv[2] ?? "{}");
const r = await runLines(resolveLinesConfig(args));
for (const g of r.geometries) {
  const { landscape, ...rest } = g;
  console.log(JSON.stringify(rest, null, 1));
}
console.log(r.checksPassed, r.failures, r.sampleSeconds, r.seconds);
