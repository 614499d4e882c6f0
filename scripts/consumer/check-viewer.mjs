// viewer from its tarball: `physml view` (the installed CLI) serves the built page, its script
// and the JSON API of a run written with @physml/runs, the result next to the exact β̃.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dualCoupling } from "@physml/lattice-core";
import { openRun } from "@physml/runs";

const root = mkdtempSync(join(tmpdir(), "physml-viewer-consumer-"));
const run = openRun({
  dir: join(root, "kw"),
  kind: "duality-kw",
  input: { beta: 0.3, L: 8 },
  resolve: (i) => i,
  provenance: { package: "consumer", version: "0", git: null },
});
run.appendMetric({ step: 0, loss: 0.5, t: [0.6, 0, 0, 0], theta: [-1, 2] });
run.writeArray(
  "spins",
  new Int8Array(64).map((_, i) => (i % 3 ? 1 : -1)),
  [1, 8, 8],
);
run.writeResult({ t0: 0.62, t0Error: 0.01 });
run.close();

const child = spawn("node_modules/.bin/physml", ["view", root, "--json"], {
  stdio: ["ignore", "pipe", "inherit"],
});
try {
  const { url } = JSON.parse(
    await new Promise((ok, fail) => {
      let out = "";
      child.stdout.on("data", (c) => {
        out += c;
        if (out.includes("\n")) ok(out.split("\n")[0]);
      });
      child.on("exit", (code) => fail(new Error(`physml view exited ${code}`)));
    }),
  );
  const get = async (path) => {
    const res = await fetch(new URL(path, url));
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  const html = await (await get("/")).text();
  const scripts = [...html.matchAll(/src="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  if (scripts.length === 0) throw new Error(`the page loads no built script:\n${html}`);
  for (const s of scripts)
    if (!(await (await get(`/${s}`)).text()).includes("/api/runs"))
      throw new Error(`${s}: not the viewer's page`);
  const detail = await (await get("/api/run?run=kw")).json();
  if (Math.abs(detail.reference.exact - dualCoupling(0.3)) > 1e-12) throw new Error("wrong exact β̃");
  const arr = await (await get("/api/array?run=kw&name=spins")).json();
  if (arr.shape.join("x") !== "1x8x8") throw new Error(`spins shape ${arr.shape}`);
  const outside = await fetch(new URL("/files/%2e%2e%2fpasswd", url));
  if (outside.status !== 403) throw new Error(`a path outside the runs directory answered ${outside.status}`);
  console.log(
    `viewer: physml view served the built page (${scripts.length} script) and the API from the tarball`,
  );
} finally {
  child.kill("SIGTERM");
  rmSync(root, { recursive: true, force: true });
}
