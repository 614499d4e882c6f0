// Trains the Heisenberg ferromagnet's connection family A(λ) and checks it against the independent
// truth, the known so(3) connection (heisenbergConnection): at held-out λ (one below and one above
// the training range) the learned monodromy traces are the known connection's at the learned
// λ̂(λ), and λ̂ moves with λ. The start is the known family with every parameter moved by up to
// ±0.1. The untrained models fail the same checks.
import { describe, it } from "vitest";
import { expectKnownFamily, expectNotFamily, movedFamily } from "../../test/spectral-family-checks.js";
import { learnSpectralConnection, type SpectralConnectionConfig } from "./spectral-connection-learn.js";
import { heisenbergFamilyParams } from "./spectral-families.js";

const init = movedFamily(heisenbergFamilyParams());

// 3 short trajectories (spin wave, two smooth textures) over t ∈ [0, 0.2], as the fixed-λ test's
const config: SpectralConnectionConfig = {
  seed: 0,
  init,
  samples: 256,
  data: { trajectories: 3, time: 0.2, snapshots: 3 },
  adamSteps: 0,
  polishIter: 60,
  heldOut: [0.4, 1.1, 2.5],
};

describe("learnSpectralConnection (Heisenberg, λ ∈ [0.5, 2]) from near the known family", () => {
  it("returns to the known family: at held-out λ its traces are the known connection's at λ̂(λ), λ̂ moving with λ; the untrained model's are not", () => {
    expectKnownFamily(learnSpectralConnection("heisenberg", config), "λ");
    const { init: _moved, ...seeded } = config;
    for (const start of [config, seeded])
      expectNotFamily(learnSpectralConnection("heisenberg", { ...start, adamSteps: 0, polishIter: 0 }));
  }, 120_000);
});
