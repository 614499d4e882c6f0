// Is a KdV connection's monodromy check numerical? For a finished `physml integrability kdv` run
// directory (argv[2]) made before 4 Dec 2026 17:00 UTC at that command's then defaults (tanh MLPs
// [8, 8] on φ, φ_x, φ_xx, 2048 points, 300 Adam steps, 40 LM iterations; `pnpm bench kdv` today): the learned connection from its last checkpoint (the
// evaluation redone, training skipped), its monodromy with the adaptive quadrature, that of its
// traceless part and of its trace alone (det Ψ), and the AKNS connection's at the λ read off the
// learned one and at other λ, all on the same held-out trajectories.
import { readdirSync, readFileSync } from "node:fs";
import { tensor } from "@physml/autodiff";
import {
  type ConnectionFns,
  fieldMonodromyReport,
  kdvConnection,
  kdvFieldSystem,
  kdvOptionsSchema,
  learnKdvConnection,
  tracelessPart,
} from "../src/index.js";

const dir = process.argv[2];
const last = readdirSync(`${dir}/checkpoint`).sort().at(-1);
const cp = JSON.parse(readFileSync(`${dir}/checkpoint/${last}`, "utf8")).state;
if (cp.phase !== "polished") throw new Error(`${dir} is not a finished run: its last checkpoint is in Adam`);
// no restarts: that run had none, and its 𝓛_ZC of 4e-5 would count as a stall
const o = kdvOptionsSchema.parse({
  restarts: 0,
  hidden: [8, 8],
  lift: "none",
  samples: 2048,
  adamSteps: 300,
  polishIter: 40,
});
const r = learnKdvConnection({ ...o, resume: cp });
const e = (v: number) => v.toExponential(2);
const sys = kdvFieldSystem(o.order);
const show = (name: string, m: ReturnType<typeof fieldMonodromyReport>) =>
  console.log(
    `${name}: variation ${m.variation.map(e).join(" ")}; quadrature ${m.quadratureError.map(e).join(" ")}; factor ${m.factor.join(" ")}; tr at t=0 ${m.traces.map((t) => e(t[0])).join(" ")}; sep ${e(m.variationVsAcross)}`,
  );
console.log(`kinds ${r.heldOut.kinds.join(" ")}; residual ${e(r.residual)}`);
show("learned (adaptive)", r.monodromy);
const raw = r.connection;
const traceless: ConnectionFns = {
  size: raw.size,
  Ax: (f) => tracelessPart(raw.Ax(f)),
  At: (f) => tracelessPart(raw.At(f)),
};
const held = {
  grid: r.heldOut.grid,
  times: r.heldOut.times,
  kinds: r.heldOut.kinds,
  states: r.heldOut.fields.map((s) => s.map((phi) => [phi])),
};
show("learned traceless", fieldMonodromyReport(traceless, sys, held));
// tr A_x alone, as a 1×1 connection: det Ψ = exp ∮ tr A_x dx
const trace: ConnectionFns = {
  size: 1,
  Ax: (f) => {
    const A = raw.Ax(f).toFloat64Array();
    const B = f.shape[0];
    return tensor(
      Float64Array.from({ length: B }, (_, b) => A[4 * b] + A[4 * b + 3]),
      [B, 1, 1],
    );
  },
  At: (f) => f,
};
show("det Ψ = exp ∮tr A_x", fieldMonodromyReport(trace, sys, held));
// −det of the traceless A_x at φ = 0 is λ for the AKNS A_x in any constant gauge
const A0 = tracelessPart(raw.Ax(tensor(new Float64Array(o.order + 1), [1, o.order + 1]))).toFloat64Array();
const lambda = -(A0[0] * A0[3] - A0[1] * A0[2]);
console.log(`λ from −det of the traceless A_x at φ = 0: ${lambda.toPrecision(4)}`);
show(`AKNS at λ = ${lambda.toPrecision(3)}`, fieldMonodromyReport(kdvConnection(lambda), sys, held));
for (const l of [0.1, -0.3, 1]) show(`AKNS at λ = ${l}`, fieldMonodromyReport(kdvConnection(l), sys, held));
