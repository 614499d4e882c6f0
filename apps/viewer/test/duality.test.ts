// A real (tiny) duality run leaves arrays/spins.npy — its chains' final configurations, equal to
// the spins in its last checkpoint — and the viewer's API decodes it as chains × Ly × L of ±1.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDuality } from "@physml/duality-learner";
import { expect, test } from "vitest";
import { arrayData, runDetail } from "../src/server/index.js";

test("a duality run saves its final chains, and the viewer reads them", async () => {
  const root = mkdtempSync(join(tmpdir(), "physml-viewer-kw-"));
  try {
    const out = join(root, "kw");
    await runDuality(
      {
        beta: 0.3,
        L: 4,
        backend: "cpu",
        target: { chains: 4, warmupSweeps: 20, samples: 10, every: 1 },
        candidate: { chains: 4, warmupSweeps: 10 },
        explore: { steps: 0 },
        optimizer: { steps: 4 },
        checkpointEvery: 2,
      },
      { out },
    );
    const arr = arrayData(out, "spins");
    expect(arr.dtype).toBe("|i1");
    expect(arr.shape).toEqual([4, 4, 4]);
    const ckpt = readdirSync(join(out, "checkpoint")).sort().at(-1) as string;
    const state = JSON.parse(readFileSync(join(out, "checkpoint", ckpt), "utf8")).state as { spins: string };
    expect(arr.data).toEqual(Array.from(new Int8Array(Buffer.from(state.spins, "base64"))));
    expect(arr.data.every((s) => s === 1 || s === -1)).toBe(true);
    expect((await runDetail(root, out)).arrays).toEqual([{ name: "spins", bytes: 128 + 64 }]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}, 60_000);
