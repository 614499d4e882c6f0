import { describe, expect, it } from "vitest";
import { learnLax } from "./learn.js";

describe("learnLax on the harmonic oscillator (short run)", () => {
  it("drives 𝓛_Lax down by orders of magnitude and the held-out residual below 5%", () => {
    const r = learnLax({
      system: "ho",
      adamSteps: 150,
      lbfgsIter: 60,
      samples: 64,
      hidden: [12, 12],
      seed: 0,
      logEvery: 50,
    });
    expect(r.final.lax).toBeLessThan(r.history[0].lax / 100);
    expect(r.laxResidual).toBeLessThan(0.05);
    // tr L² and the readout exist for every entry; the full-length numbers are in the README
    expect(r.conserved?.variation).toHaveLength(2);
    expect(r.formulas?.L.flat()).toHaveLength(4);
    // the checkpoint is the state: same seed, same result
    const short = () =>
      learnLax({
        system: "ho",
        adamSteps: 20,
        lbfgsIter: 0,
        samples: 64,
        hidden: [12, 12],
        seed: 0,
        evaluate: false,
      });
    const [again, twice] = [short(), short()];
    expect(again.final.total).toBe(twice.final.total);
  });
});
