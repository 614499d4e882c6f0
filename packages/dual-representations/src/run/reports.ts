// The offline HTML reports of the three runs (@physml/runs: Vega-Lite rendered to SVG).
import { plural } from "@physml/lattice-core";
import { barChart, reportHtml, xyChart } from "@physml/runs";
import type { ChainConfig, FourierConfig, Ising2dConfig } from "../config.js";
import type { LearnedFrontEnd } from "../ising2d/dft-front-end.js";
import type { PairResult } from "../ising2d/task.js";
import type { ChainRunResult, DualrepValidation, FourierRunResult, Ising2dRunResult } from "./run-results.js";

const f = (v: number | undefined, d = 4) => (v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(d));

const checks = ({ validation: v }: { validation: DualrepValidation }) =>
  v.passed ? ["All checks passed."] : ["CHECKS FAILED:", ...v.failures];

/** The 2D Ising learned map's parameterisation, and its orthogonality penalty where it has one. */
const mapDescription = (c: Ising2dConfig) =>
  c.map === "orthogonal"
    ? `orthogonal, W = exp(K) of a skew matrix K: ${(c.L ** 2 * (c.L ** 2 - 1)) / 2} entries`
    : c.map === "orthogonal-separable"
      ? `orthogonal and separable, W = exp(K_A) ⊗ exp(K_B), K_A and K_B skew L × L: ${c.L * (c.L - 1)} entries`
      : `${c.map === "separable" ? `separable, W = A ⊗ B with an L × L map per axis: ${2 * c.L * c.L} entries` : `dense: ${c.L ** 4} entries`}; orthogonality weight ${c.orthogonalityWeight}`;

const encoderText = (c: ChainConfig) =>
  c.encoder === "conv"
    ? `conv: circular width ${c.kernel ?? "n"}, ${c.channels} tanh channels, 1×1 conv to one latent unit per site`
    : `dense [sites, ${c.width}, ${c.latent ?? c.sites}] (tanh)`;

const decoderText = (c: ChainConfig) =>
  c.decoder === "conv"
    ? `conv (the encoder's mirror): circular width ${c.kernel ?? "n"}, ${c.channels} tanh channels, 1×1 conv to one spin per site`
    : `dense [${c.latent ?? c.sites}, ${c.width}, sites] (tanh)`;

export async function chainReport(r: Omit<ChainRunResult, never>, c: ChainConfig): Promise<string> {
  const ns = r.rows.map((p) => p.n);
  const ae = r.rows.filter((p) => p.autoencoder);
  return reportHtml({
    title: `Dual representations of the n-spin chain (${c.sites} sites)`,
    summary: [
      ["sites", String(c.sites)],
      ["n", ns.join(", ")],
      [
        "classifier",
        `${c.depth === 1 ? "one hidden layer" : `${c.depth} hidden layers`} of ${c.hidden} (tanh), ${plural(c.epochs, "epoch")}`,
      ],
      ...(c.autoencoderRuns > 0
        ? [
            ["autoencoder encoder", encoderText(c)] as [string, string],
            ["autoencoder decoder", decoderText(c)] as [string, string],
          ]
        : []),
      ["seconds", f(r.seconds, 1)],
    ],
    notes: [
      ...checks(r),
      "Chance is 0.5 (balanced classes). Original: the spins s; dual: σ_k = Π_{l<n} s_{k+l}, in which stability is a window condition.",
    ],
    charts: [
      xyChart({
        title: "best test accuracy against the interaction order",
        xTitle: "n (spins per interaction)",
        yTitle: "best test accuracy (fraction)",
        series: [
          { name: "original s", x: ns, y: r.rows.map((p) => p.original.bestTest), style: "line" },
          { name: "dual σ", x: ns, y: r.rows.map((p) => p.dual.bestTest), style: "line" },
          ...(ae.length
            ? [
                {
                  name: "autoencoder (mean)",
                  x: ae.map((p) => p.n),
                  y: ae.map((p) => p.autoencoder?.bestTestMean ?? 0),
                  error: ae.map((p) => p.autoencoder?.bestTestStdError ?? 0),
                  style: "points" as const,
                },
              ]
            : []),
        ],
      }),
    ],
    tables: [
      {
        head: [
          "n",
          "stable / all",
          "original",
          "dual",
          "autoencoder",
          "latent·σ overlap",
          "latent·s overlap",
          "run of lowest final loss: best test, σ overlap",
          "correlation error (RMS)",
        ],
        rows: r.rows.map((p) => [
          String(p.n),
          p.data.stableStates !== undefined
            ? `${p.data.stableStates} / ${p.data.totalStates}`
            : `quench, ${p.data.perClass}/class`,
          f(p.original.bestTest),
          f(p.dual.bestTest),
          p.autoencoder ? `${f(p.autoencoder.bestTestMean)} ± ${f(p.autoencoder.bestTestStdError)}` : "—",
          f(p.autoencoder?.sigmaOverlap, 3),
          f(p.autoencoder?.spinOverlap, 3),
          p.autoencoder?.selected
            ? `run ${p.autoencoder.selected.run + 1}: ${f(p.autoencoder.selected.bestTest)}, ${f(p.autoencoder.selected.sigmaOverlap, 3)}`
            : "—",
          p.autoencoder?.correlationError === undefined
            ? "—"
            : `${f(p.autoencoder.correlationError, 3)} (${p.autoencoder.correlationFunctions}${p.autoencoder.correlationReadout === "affine" ? ", affine readout" : ""}, weight ${p.autoencoder.correlationWeight})`,
        ]),
      },
      {
        head: [
          "n",
          "ln Z (dual closed form)",
          "ln Z (transfer matrix)",
          "ln Z (enumeration)",
          "⟨Σσ⟩ dual",
          "⟨Σσ⟩ transfer",
          "rank",
          "loops by length",
        ],
        rows: r.rows.map((p) => [
          String(p.n),
          f(p.exact.lnZDual, 12),
          f(p.exact.lnZTransfer, 12),
          f(p.exact.lnZEnumerated, 12),
          f(p.exact.energyDual, 10),
          f(p.exact.energyTransfer, 10),
          String(p.exact.rank),
          p.exact.weightEnumerator
            .map((w, k) => (w ? `${w}×${k}` : ""))
            .filter(Boolean)
            .join(" "),
        ]),
      },
    ],
  });
}

export async function ising2dReport(r: Ising2dRunResult, c: Ising2dConfig): Promise<string> {
  // One bar per (pair, kind): bars sharing a label would stack.
  const kinds: [string, (q: PairResult) => number][] = [
    ["network", (q) => q.network.bestTest],
    ["network on |ŝ(k)|²", (q) => q.structureFactor.bestTest],
    ...(c.dftFrontEnd
      ? ([
          ["per-coordinate on the 2D DFT", (q) => q.dft?.handed.bestTest ?? Number.NaN],
          ["learned W", (q) => q.dft?.learned.accuracies.bestTest ?? Number.NaN],
          ["learned W + separation", (q) => q.dft?.learnedWithSeparation.accuracies.bestTest ?? Number.NaN],
        ] as [string, (q: PairResult) => number][])
      : []),
    ["energy threshold (Bayes)", (q) => q.energyThreshold],
  ];
  const bars = r.rows.flatMap((p) =>
    (["original", "dual"] as const).flatMap((k) =>
      kinds.map(([group, value]) => ({ label: `T0=${p.T0} ${k}: ${group}`, value: value(p[k]), group })),
    ),
  );
  return reportHtml({
    title: `2D Ising temperature pairs and their Kramers–Wannier duals (L = ${c.L}, ΔT = ${c.deltaT})`,
    summary: [
      ["L", String(c.L)],
      ["ΔT", String(c.deltaT)],
      ["samples per temperature", String(c.samples)],
      ["seconds", f(r.seconds, 1)],
    ],
    notes: [
      ...checks(r),
      "The energy is sufficient for a pair of temperatures: its best threshold is the Bayes-optimal classifier, the ceiling for the network.",
      "The structure factor |ŝ(k)|²/N is the DFT representation: the energy is linear in it (Σ⟨ij⟩ s_i s_j = Σ_k (cos k_x + cos k_y) S(k)).",
      ...(c.dftFrontEnd
        ? [
            `DFT front ends: the per-coordinate classifier (logit = b + Σ u_j z_j + v_j z_j²) on the handed real 2D DFT z = F s, and behind a learned map z = W s (${mapDescription(c)}${c.decorrelationWeight > 0 ? `; decorrelation weight ${c.decorrelationWeight} on the map with separation` : ""}${c.headDecay > 0 ? `; head decay ${c.headDecay} on the classifier's weights behind it` : ""}), trained by the cross-entropy alone and with the feature-separation loss (weight ${c.separationWeight}). Bond-weight spread: per row of W, the spread of cos k_x + cos k_y under its power spectrum (0: the row diagonalises the nn bonds, as DFT rows do; 1: a single site).`,
          ]
        : []),
    ],
    charts: [
      barChart({
        title: "test accuracy",
        xTitle: "pair",
        yTitle: "test accuracy (fraction)",
        bars,
        groups: [
          { name: "network", color: "#4477aa" },
          { name: "network on |ŝ(k)|²", color: "#ccbb44" },
          ...(c.dftFrontEnd
            ? [
                { name: "per-coordinate on the 2D DFT", color: "#66ccee" },
                { name: "learned W", color: "#aa3377" },
                { name: "learned W + separation", color: "#ee6677" },
              ]
            : []),
          { name: "energy threshold (Bayes)", color: "#228833" },
        ],
        yMax: 1,
      }),
    ],
    tables: [
      {
        head: [
          "T0",
          "pair",
          "temperatures",
          "network (spins)",
          "network (|ŝ(k)|²)",
          "energy threshold",
          "energy pulls (σ)",
        ],
        rows: r.rows.flatMap((p) =>
          (["original", "dual"] as const).map((k) => [
            String(p.T0),
            k,
            p[k].temperatures.map((t) => f(t.T, 4)).join(" vs "),
            f(p[k].network.bestTest),
            f(p[k].structureFactor.bestTest),
            f(p[k].energyThreshold),
            p[k].temperatures.map((t) => f(t.pull, 2)).join(", "),
          ]),
        ),
      },
      ...(c.dftFrontEnd
        ? [
            {
              head: [
                "T0",
                "pair",
                "per-coordinate on the 2D DFT",
                "learned W",
                "learned W + separation",
                "Fourier concentration (W / W + sep.)",
                "bond-weight spread (W / W + sep.)",
                "orthogonality residual (W / W + sep.)",
              ],
              rows: r.rows.flatMap((p) =>
                (["original", "dual"] as const).map((k) => {
                  const d = p[k].dft;
                  const both = (g: (x: LearnedFrontEnd) => number) =>
                    d ? `${f(g(d.learned), 3)} / ${f(g(d.learnedWithSeparation), 3)}` : "—";
                  return [
                    String(p.T0),
                    k,
                    f(d?.handed.bestTest),
                    f(d?.learned.accuracies.bestTest),
                    f(d?.learnedWithSeparation.accuracies.bestTest),
                    both((x) => x.fourierConcentration),
                    both((x) => x.bondWeightSpread),
                    both((x) => x.orthogonalityResidual),
                  ];
                }),
              ),
            },
          ]
        : []),
    ],
  });
}

export async function fourierReport(r: FourierRunResult, c: FourierConfig): Promise<string> {
  const rows: [string, number][] = [
    ["position", r.position.bestTest],
    ["DFT (handed)", r.fourier.bestTest],
    ["learned W", r.learned.accuracies.bestTest],
    ["learned W + separation", r.learnedWithSeparation.accuracies.bestTest],
    ...(r.dense
      ? ([
          ["dense, position", r.dense.position.bestTest],
          ["dense, DFT", r.dense.fourier.bestTest],
        ] as [string, number][])
      : []),
    ...(r.shared
      ? ([
          ["shared, position", r.shared.position.bestTest],
          ["shared, DFT", r.shared.fourier.bestTest],
          ["shared, learned W", r.shared.learned.accuracies.bestTest],
          ["shared, learned W + separation", r.shared.learnedWithSeparation.accuracies.bestTest],
          ...(r.shared.learnedPaired
            ? ([["shared, learned W + separation, paired", r.shared.learnedPaired.accuracies.bestTest]] as [
                string,
                number,
              ][])
            : []),
        ] as [string, number][])
      : []),
  ];
  const what = c.task === "band" ? "band classification of noisy waves" : "a noisy wave against pure noise";
  return reportHtml({
    title: `Fourier duality: ${what} (N = ${c.length})`,
    summary: [
      ["N", String(c.length)],
      ["noise / amplitude", `${c.noise} / ${c.amplitude}`],
      ["separation weight", String(c.separationWeight)],
      ...(c.peakWeight > 0
        ? ([["peak weight", `${c.peakWeight} (${c.peakFeature})`]] as [string, string][])
        : []),
      ["seconds", f(r.seconds, 1)],
    ],
    notes: [
      ...checks(r),
      c.task === "band"
        ? "The classifier acts on each coordinate separately (linear and quadratic terms): at chance in position space by construction."
        : "The classifier acts on each coordinate separately (linear and quadratic terms); for signal against noise its quadratic terms see the power in either basis (Σ x_j² is basis-independent), so the DFT's advantage — the wave's power in one frequency — needs a classifier that can see a peak (the shared rows, with --shared-hidden).",
      "Band alignment: per row of the map, the larger power share in one of the two bands (the task fixes the map only up to rotations inside each band); Fourier concentration: the largest share in one frequency.",
      ...(r.shared
        ? [
            `Shared rows: logit = Σ g(t), one ReLU network g [${r.shared.input === "pair" ? 2 : 1}, ${c.sharedHidden}, 1] (${r.shared.parameters} weights) on every ${r.shared.input === "pair" ? "pair of neighbouring coordinates (in the DFT the cos and sin of one frequency)" : "coordinate"}, the same in every representation; it can threshold, so it can count peaks.`,
            ...(r.shared.learnedPaired
              ? [
                  `Paired: the map + separation trained ${r.shared.learnedPaired.pairedAtEpoch} epochs (best test ${f(r.shared.learnedPaired.bestTestBeforePairing)}), its rows then reordered so that each pair g reads is the two coordinates whose powers are most correlated on the training rows (no labels, no Fourier basis), and trained for the remaining epochs; pairs of g on one frequency ${r.shared.learnedPaired.headPairsOnOneFrequencyBefore} before, ${r.shared.learnedPaired.headPairsOnOneFrequency} after, of ${c.length / 2}.`,
                ]
              : []),
          ]
        : []),
    ],
    charts: [
      barChart({
        title: "best test accuracy",
        xTitle: "representation",
        yTitle: "best test accuracy (fraction)",
        bars: rows.map(([label, value]) => ({ label, value, group: "accuracy" })),
        groups: [{ name: "accuracy", color: "#4477aa" }],
        yMax: 1,
      }),
    ],
    tables: [
      {
        head: ["map", "Fourier concentration", "orthogonality residual"],
        rows: [
          ["position (identity)", f(r.concentrationPosition), "0"],
          ["DFT", f(r.concentrationDft), "0"],
          ["learned W", f(r.learned.fourierConcentration), f(r.learned.orthogonalityResidual)],
          [
            "learned W + separation",
            f(r.learnedWithSeparation.fourierConcentration),
            f(r.learnedWithSeparation.orthogonalityResidual),
          ],
          ...(r.shared
            ? [
                [
                  "learned W (shared)",
                  f(r.shared.learned.fourierConcentration),
                  f(r.shared.learned.orthogonalityResidual),
                ],
                [
                  "learned W + separation (shared)",
                  f(r.shared.learnedWithSeparation.fourierConcentration),
                  f(r.shared.learnedWithSeparation.orthogonalityResidual),
                ],
                ...(r.shared.learnedPaired
                  ? [
                      [
                        "learned W + separation, paired (shared)",
                        f(r.shared.learnedPaired.fourierConcentration),
                        f(r.shared.learnedPaired.orthogonalityResidual),
                      ],
                    ]
                  : []),
              ]
            : []),
        ],
      },
    ],
  });
}
