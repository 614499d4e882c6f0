// The finite-dimensional systems the Lax learner knows by name, with their matrix size, the box
// states are drawn from and the dictionary the readout fits on.
import type { HamiltonianSystem } from "../data/hamiltonian.js";
import {
  harmonicOscillator,
  henonHeiles,
  type Perturbation,
  perturbedOscillator,
  toda,
} from "../data/systems.js";
import { chainExponentials, type DictionaryTerm, monomials } from "../eval/dictionary.js";

/** Systems with a name on the command line. */
export const LAX_SYSTEMS = ["ho", "ho2d", "toda", "henon-heiles"] as const;
export type LaxSystemName = (typeof LAX_SYSTEMS)[number];

/** A system ready for Lax learning. */
export interface LaxSetup {
  system: HamiltonianSystem;
  /** Default matrix size n. */
  size: number;
  /** States are drawn from [−box, box]^{2n}. */
  box: number;
  dictionary: DictionaryTerm[];
}

const names = (n: number): string[] =>
  n === 1
    ? ["q", "p"]
    : n === 2
      ? ["qx", "qy", "px", "py"]
      : [
          ...Array.from({ length: n }, (_, i) => `q${i + 1}`),
          ...Array.from({ length: n }, (_, i) => `p${i + 1}`),
        ];

/** The setup of a named system, with an optional perturbation of the 2D oscillator. */
export function laxSetup(
  name: LaxSystemName,
  perturbation?: { kind: Perturbation; epsilon: number },
): LaxSetup {
  switch (name) {
    case "ho":
      return { system: harmonicOscillator(1), size: 2, box: 1, dictionary: monomials(names(1), 2) };
    case "ho2d":
      return {
        system: perturbation
          ? perturbedOscillator(perturbation.kind, perturbation.epsilon)
          : harmonicOscillator(2),
        size: 4,
        box: 1,
        dictionary: monomials(names(2), 2),
      };
    case "toda":
      return {
        system: toda(3),
        size: 3,
        box: 1,
        dictionary: [...monomials(names(3), 1), ...chainExponentials(3)],
      };
    case "henon-heiles":
      // same dimension of matrices as Toda's, box inside the bounded-orbit region (E < 1/6)
      return { system: henonHeiles(), size: 3, box: 0.3, dictionary: monomials(names(2), 2) };
  }
}
