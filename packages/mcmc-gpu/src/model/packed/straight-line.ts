// The packed circuit as straight-line code, written once for both targets: the CPU rule compiles
// it to a JavaScript function and the WGSL generator pastes it into the kernel. Inputs in scope:
// `s` (the site's word) and `n<m>` (the word of stencil neighbour m); outputs: `flip` (lanes
// with ΔE ≤ 0) and `q<c>` (lanes of Bernoulli class c), declared by these lines.
import { FLIP_NOW, type PackedCircuit } from "./circuit.js";

/** How a target spells declarations and the all-ones / zero words. */
export interface Dialect {
  /** A mutable word initialised to `init`. */
  mutable(name: string, init: string): string;
  /** An immutable word. */
  constant(name: string, expr: string): string;
  readonly ones: string;
  readonly zero: string;
}

export const JS_DIALECT: Dialect = {
  mutable: (name, init) => `let ${name} = ${init};`,
  constant: (name, expr) => `const ${name} = ${expr};`,
  ones: "-1",
  zero: "0",
};

export const WGSL_DIALECT: Dialect = {
  mutable: (name, init) => `var ${name} = ${init};`,
  constant: (name, expr) => `let ${name} = ${expr};`,
  ones: "0xFFFFFFFFu",
  zero: "0u",
};

const bitLength = (v: number): number => (v === 0 ? 0 : Math.floor(Math.log2(v)) + 1);

/**
 * The lines computing `flip` and `q0 … q(classes−1)` (names from {@link PackedCircuit}): per term
 * a ripple counter (the x-th add can only carry into the bits of x + 1), the one-hot masks
 * `e<a>_<v>` of its values, and per count vector of class FLIP_NOW or a Bernoulli class the AND
 * of its masks, ORed into the class. `labels[a]` names counter a in a comment.
 */
export function circuitLines(c: PackedCircuit, d: Dialect, labels: readonly string[]): string[] {
  const nA = c.terms.length;
  const out: string[] = [d.mutable("u", d.zero), d.mutable("t", d.zero)];
  for (let a = 0; a < nA; a++) {
    const B = c.bits[a];
    out.push(`// counter of term ${labels[a]}`);
    for (let l = 0; l < B; l++) out.push(d.mutable(`c${a}_${l}`, d.zero));
    const adds: string[] = [];
    for (let f = 0; f < c.fields[a]; f++) adds.push("~s");
    for (let p = c.posStart[a]; p < c.posStart[a + 1]; p++) {
      const xs = ["s"];
      for (let o = c.othersStart[p]; o < c.othersStart[p + 1]; o++) xs.push(`n${c.others[o]}`);
      if (c.parity[p] !== 0) xs.push(d.ones);
      adds.push(xs.join(" ^ "));
    }
    adds.forEach((e, x) => {
      out.push(`u = ${e};`);
      const steps = Math.min(B, bitLength(x + 1));
      for (let l = 0; l < steps; l++)
        out.push(l === steps - 1 ? `c${a}_${l} ^= u;` : `t = c${a}_${l} & u; c${a}_${l} ^= u; u = t;`);
    });
    for (let v = 0; v < c.radix[a]; v++) {
      const bits = Array.from({ length: B }, (_, l) => ((v >> l) & 1 ? `c${a}_${l}` : `~c${a}_${l}`));
      out.push(d.constant(`e${a}_${v}`, bits.join(" & ")));
    }
  }
  for (let q = 0; q < c.thresholds.length; q++) out.push(d.mutable(`q${q}`, d.zero));
  out.push(d.mutable("flip", nA === 0 ? d.ones : d.zero));
  const digit = new Int32Array(nA);
  for (let combo = 0; nA > 0 && combo < c.comboClass.length; combo++) {
    const cls = c.comboClass[combo];
    if (cls === FLIP_NOW || cls >= 0) {
      const m = Array.from(digit, (v, a) => `e${a}_${v}`).join(" & ");
      out.push(cls === FLIP_NOW ? `flip |= ${m};` : `q${cls} |= ${m};`);
    }
    for (let a = nA - 1; a >= 0; a--) {
      if (++digit[a] < c.radix[a]) break;
      digit[a] = 0;
    }
  }
  return out;
}
