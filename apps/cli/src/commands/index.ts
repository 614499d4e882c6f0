// Every subcommand, in help order: its path and summary, and a loader that imports its module
// only when the command is chosen. The heading lives here rather than in the module so that help,
// suggestions and finding the command import no command module: a command loads only the
// packages it needs, and a module that fails to load stops only its own commands. Add one entry
// per command; its module exports the rest (a `CommandBody`).
import { MAX_ENUMERATION_SITES } from "@physml/lattice-core";
import type { Command, CommandBody, CommandHeading } from "../command.js";

/** A command as the registry lists it: its heading, and how to import the rest. */
export interface CommandEntry extends CommandHeading {
  /** Imports the command's module and returns its body (flags, run, check…). */
  load(): Promise<CommandBody>;
  /**
   * Another command's words when a command line of this one belongs there, and why (said on
   * stderr), or null to run this one: `integrability lax --system kdv` (the interface names
   * the field theories under `lax`) is a Lax connection, which `integrability connection` learns.
   */
  redirect?(rest: readonly string[]): Promise<{ path: string[]; why: string } | null>;
}

/** The value `rest` gives a flag (`--name value` or `--name=value`), or undefined. */
function flagValueOf(rest: readonly string[], name: string): string | undefined {
  for (let k = 0; k < rest.length; k++) {
    if (rest[k] === `--${name}`) return rest[k + 1];
    if (rest[k].startsWith(`--${name}=`)) return rest[k].slice(name.length + 3);
  }
  return undefined;
}

export const COMMAND_ENTRIES: readonly CommandEntry[] = [
  {
    path: ["exact", "energy"],
    summary: "exact ln Z, energy and specific heat of the Ising model on an L×M torus (Kaufman) and Onsager",
    load: async () => (await import("./exact.js")).energyCommand,
  },
  {
    path: ["exact", "enumerate"],
    summary: `exact Z, energy, |m|, m², m⁴, C, χ, U₄ and the 13 link-shape features by full enumeration (≤ ${MAX_ENUMERATION_SITES} sites)`,
    load: async () => (await import("./exact.js")).enumerateCommand,
  },
  {
    path: ["exact", "model"],
    summary: `exact ln Z, energy and term means of any Ising model description (enumeration ≤ ${MAX_ENUMERATION_SITES} sites; chains of any length by transfer matrix)`,
    load: async () => (await import("./exact.js")).modelCommand,
  },
  {
    path: ["dual"],
    summary: "Kramers–Wannier dual coupling β̃ = atanh(e^{−2β}) (sinh 2β · sinh 2β̃ = 1)",
    load: async () => (await import("./dual.js")).dualCommand,
  },
  {
    path: ["mcmc"],
    summary:
      "Metropolis sampling of Ising, XY and Heisenberg models (or a model file) on many chains, CPU or WebGPU",
    load: async () => (await import("./mcmc.js")).mcmcCommand,
  },
  {
    path: ["duality", "kw"],
    summary: "learn the Kramers–Wannier dual at one β from correlators",
    load: async () => (await import("./duality.js")).kwCommand,
  },
  {
    path: ["duality", "sweep"],
    summary: "learn the dual over a (β, κ) grid and plot the learned families against the exact curve",
    load: async () => (await import("./duality.js")).sweepCommand,
  },
  {
    path: ["runs", "ls"],
    summary: "list the runs under a directory (status, steps, result)",
    load: async () => (await import("./runs.js")).lsCommand,
  },
  {
    path: ["runs", "show"],
    summary: "show one run: provenance, status, configuration and result",
    load: async () => (await import("./runs.js")).showCommand,
  },
  {
    path: ["runs", "export"],
    summary: "one table of runs (a row per run: config and result columns) as CSV or Parquet",
    load: async () => (await import("./runs.js")).exportCommand,
  },
  {
    path: ["sweep"],
    summary: "run a learner over a grid of flag values, locally or as a Slurm job array",
    load: async () => (await import("./sweep.js")).sweepCommand,
  },
  {
    path: ["sweep", "status"],
    summary:
      "progress of a sweep, per point: pending, running, done or failed (read from the run directories)",
    load: async () => (await import("./sweep-points.js")).statusCommand,
  },
  {
    path: ["sweep", "merge"],
    summary: "one table of a sweep (a row per point: grid values, config, result) and one report",
    load: async () => (await import("./sweep-points.js")).mergeCommand,
  },
  {
    path: ["sweep", "run-point"],
    summary: "run one point of a sweep (what each worker process or Slurm array task runs)",
    load: async () => (await import("./sweep-points.js")).runPointCommand,
  },
  {
    path: ["view"],
    summary: "open a local web viewer over a runs directory (live metrics, results, sweeps, spins)",
    load: async () => (await import("./view.js")).viewCommand,
  },
  {
    path: ["symmetry", "potential"],
    summary: "classify points by potential bin and read invariances from the embedding layer",
    load: async () => (await import("./symmetry.js")).potentialCommand,
  },
  {
    path: ["symmetry", "generators"],
    summary: "find the Lie-algebra generators of a symmetry, end to end (data, classifier, generators)",
    load: async () => (await import("./symmetry.js")).generatorsCommand,
  },
  {
    path: ["symmetry", "cicy"],
    summary:
      "Hodge numbers of CICY threefolds from permuted configuration matrices; neighbour analysis by CICY",
    load: async () => (await import("./symmetry.js")).cicyCommand,
  },
  {
    path: ["symmetry", "noscale"],
    summary: "no-scale structure of a Kähler potential: K_A K^{AB̄} K_B̄, det ∂∂̄e^{-K/3}, scaling weight",
    load: async () => (await import("./symmetry.js")).noscaleCommand,
  },
  {
    path: ["integrability", "simulate"],
    summary: "integrate a Hamiltonian system or a 1+1D field theory and write the trajectories as .npy",
    load: async () => (await import("./integrability.js")).simulateCommand,
  },
  {
    path: ["integrability", "lax"],
    summary: "learn a Lax pair L(x), M(x) from the equations of motion (arXiv 2103.07475) and check it",
    load: async () => (await import("./integrability.js")).laxCommand,
    async redirect(rest) {
      const system = flagValueOf(rest, "system");
      const { FIELD_CONNECTION_SYSTEMS } = await import("@physml/integrability");
      if (system === undefined || !(FIELD_CONNECTION_SYSTEMS as readonly string[]).includes(system))
        return null;
      return {
        path: ["integrability", "connection"],
        why: `--system ${system} is a field theory: its Lax connection is learned by physml integrability connection`,
      };
    },
  },
  {
    path: ["integrability", "perturbation"],
    summary:
      "integrability test by perturbation: from the 2D oscillator's learned pair, train on H₀ + ε q_x q_y (integrable) and H₀ + ε q_x² q_y² (not); table and plot of the final Lax losses",
    load: async () => (await import("./integrability.js")).perturbationCommand,
  },
  {
    path: ["integrability", "scnn"],
    summary:
      "two-body trajectory prediction: baseline MLP vs HNN vs symmetry-control network (arXiv 2104.14444), and the SCNN's cyclic momenta against P_x, P_y, L, H and the Runge–Lenz vector, checked for conservation on held-out orbits",
    load: async () => (await import("./integrability-scnn.js")).scnnCommand,
  },
  {
    path: ["integrability", "kdv"],
    summary:
      "learn a Lax connection of KdV by zero curvature and check it on held-out trajectories (curvature residual, conserved monodromy trace)",
    load: async () => (await import("./integrability-kdv.js")).kdvCommand,
  },
  {
    path: ["integrability", "connection"],
    summary:
      "learn a Lax connection of sine-Gordon, the Heisenberg ferromagnet or KdV by zero curvature and check it on held-out trajectories (curvature residual, conserved monodromy trace)",
    load: async () => (await import("./integrability-connection.js")).connectionCommand,
  },
  {
    path: ["cy", "sample"],
    summary:
      "points on a Dwork quintic by line intersection; Vol_CY and κ; writes points and weights as .npy",
    load: async () => (await import("./cy.js")).sampleCommand,
  },
  {
    path: ["cy", "donaldson"],
    summary:
      "Donaldson's balanced metric of degree k on a Dwork quintic and its σ accuracy on held-out points",
    load: async () => (await import("./cy.js")).donaldsonCommand,
  },
  {
    path: ["cy", "train"],
    summary:
      "train a metric model (learned-H algebraic, φ, or the mult/add metric networks) on the Monge–Ampère loss; σ target on held-out points",
    load: async () => (await import("./cy-train.js")).trainCommand,
  },
  {
    path: ["cy", "eval"],
    summary:
      "evaluate a `cy train` run on fresh points: σ, Vol_CY, κ and the Ricci scalar against Fubini–Study",
    load: async () => (await import("./cy-train.js")).evalCommand,
  },
  {
    path: ["inverse", "ising"],
    summary: "recover Ising couplings from samples (pseudo-likelihood, Newton, jackknife errors)",
    load: async () => (await import("./inverse.js")).isingCommand,
  },
  {
    path: ["inverse", "line"],
    summary:
      "line-based duality: disorder-line correlators of the original matched by a dual nn + nnn Hamiltonian",
    load: async () => (await import("./inverse.js")).lineCommand,
  },
  {
    path: ["dualrep", "chain"],
    summary: "n-spin Ising chains: (meta)stability classified in the spins and in the dual variables σ",
    load: async () => (await import("./dualrep.js")).chainCommand,
  },
  {
    path: ["dualrep", "ising2d"],
    summary:
      "2D Ising: tell T0 from T0 + ΔT, and their Kramers–Wannier dual temperatures, against the Bayes limit",
    load: async () => (await import("./dualrep.js")).ising2dCommand,
  },
  {
    path: ["dualrep", "fourier"],
    summary:
      "noisy waves by frequency band: position vs DFT, and a map learned with a feature-separation loss",
    load: async () => (await import("./dualrep.js")).fourierCommand,
  },
  {
    path: ["duality", "lines"],
    summary:
      "learn a topological line's link chunk O(s_i s_j) with the path-independence loss (Z2 and disorder lines)",
    load: async () => (await import("./lines.js")).linesCommand,
  },
];

/** The full command of a registry entry (imports its module). */
export async function loadCommand(entry: CommandEntry): Promise<Command> {
  return { ...(await entry.load()), path: entry.path, summary: entry.summary };
}

/** Every command, in help order (imports every command module: for `physml sweep` and tests). */
export function loadAllCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_ENTRIES.map(loadCommand));
}
