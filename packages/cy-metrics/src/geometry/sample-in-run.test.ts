import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeNpy } from "@physml/lattice-core";
import { openRun, provenanceOf } from "@physml/runs";
import { CheckpointKill, killedAtCheckpoint } from "@physml/runs/testing";
import { describe, expect, it } from "vitest";
import { volumes } from "../eval/volumes.js";
import { dworkQuintic } from "./quintic.js";
import { POINTS_PER_LINE, SAMPLER_START, samplePiece, samplePoints } from "./sample.js";
import { sampleInRun } from "./sample-in-run.js";

const q = dworkQuintic({ re: 10, im: 3 });
// more than one random block (4096 lines) of the sampler
const POINTS = 5 * 5000;
const whole = samplePoints(q, POINTS, 11);

/** `sampleInRun` in a fresh or resumed run directory `dir`, checkpointing every `every` lines. */
function sampleRun(dir: string, every: number, log: (m: string) => void = () => {}) {
  const run = openRun({
    dir,
    kind: "cy-sample-test",
    input: {},
    resolve: (i) => i,
    mode: "resume",
    provenance: provenanceOf(import.meta.url),
  });
  try {
    const r = sampleInRun(run, { quintic: q, points: POINTS, seed: 11, checkpointLines: every, log });
    run.close();
    return r;
  } catch (e) {
    run.abandon(e);
    throw e;
  }
}

const npy = (dir: string, name: string) => readFileSync(join(dir, name));
/** Bit-for-bit equality of two arrays (vitest's deep equality is slow on a million elements). */
const same = (a: Float64Array, b: Float64Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe("samplePiece", () => {
  it("pieces of any size, across the sampler's random blocks, are samplePoints' points in order", () => {
    let at = SAMPLER_START;
    const sizes = [7, 4100, 1, 0, 892];
    const z = new Float64Array(whole.z.length);
    const weight = new Float64Array(whole.n);
    for (const lines of sizes) {
      const p = samplePiece(q, POINTS, 11, at, lines);
      expect(p.points.n).toBe(lines * POINTS_PER_LINE);
      z.set(p.points.z, 10 * at.lines * POINTS_PER_LINE);
      weight.set(p.points.weight, at.lines * POINTS_PER_LINE);
      at = p.next;
    }
    expect(at.lines).toBe(5000);
    expect(same(z, whole.z)).toBe(true);
    expect(same(weight, whole.weight)).toBe(true);
    expect(at.rejectedLines).toBe(whole.rejectedLines);
    expect(at.maxResidual).toBe(whole.maxResidual);
    expect(() => samplePiece(q, POINTS, 11, at, 1)).toThrow(/lines/);
  });
});

describe("sampleInRun", () => {
  it("writes samplePoints' points, weights and |Ω|² as .npy, and its volumes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cy-sample-run-"));
    const r = sampleRun(dir, 1000);
    expect(r.n).toBe(whole.n);
    expect(r.volumes).toEqual(volumes(whole));
    expect(r.maxResidual).toBe(whole.maxResidual);
    expect(r.rejectedLines).toBe(whole.rejectedLines);
    const rows = decodeNpy(new Uint8Array(npy(dir, "points.npy")));
    expect(rows.shape).toEqual([whole.n, 10]);
    for (const i of [0, 1, 20_000, whole.n - 1])
      for (let j = 0; j < 5; j++) {
        expect(rows.data[10 * i + j]).toBe(whole.z[10 * i + 2 * j]);
        expect(rows.data[10 * i + 5 + j]).toBe(whole.z[10 * i + 2 * j + 1]);
      }
    expect(same(decodeNpy(npy(dir, "weights.npy")).data as Float64Array, whole.weight)).toBe(true);
    expect(same(decodeNpy(npy(dir, "omega2.npy")).data as Float64Array, whole.omega2)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith(".partial"))).toEqual([]);
  });

  it("killed as it writes checkpoint 3 resumes after the 2000 lines of checkpoint 2 to the uninterrupted run's bytes", async () => {
    const base = await mkdtemp(join(tmpdir(), "cy-sample-kill-"));
    const killed = join(base, "killed");
    const complete = join(base, "whole");
    await expect(killedAtCheckpoint(2, async () => sampleRun(killed, 1000))).rejects.toThrow(CheckpointKill);
    // the kill left the lines after checkpoint 2 in the partial files, never a final file
    expect(readdirSync(killed).filter((f) => f.endsWith(".npy"))).toEqual([]);
    const said: string[] = [];
    const resumed = sampleRun(killed, 1000, (m) => said.push(m));
    expect(resumed.resumedLines).toBe(2000);
    expect(said[0]).toMatch(/resuming from checkpoint\/step-0*2000\.json: 10000 of 25000 points sampled/);
    // only the checkpoints after the kill were written again: lines 3000 and 4000
    expect(said.filter((m) => m.endsWith("(checkpoint)"))).toEqual([
      "physml cy sample: 15000 of 25000 points sampled (checkpoint)",
      "physml cy sample: 20000 of 25000 points sampled (checkpoint)",
    ]);
    const uninterrupted = sampleRun(complete, 1000);
    expect({ ...resumed, files: 0, resumedLines: 0 }).toEqual({
      ...uninterrupted,
      files: 0,
      resumedLines: 0,
    });
    for (const f of ["points.npy", "weights.npy", "omega2.npy"])
      expect(npy(killed, f).equals(npy(complete, f))).toBe(true);
  });
});
