// A Kähler potential written as text, e.g. "-3*log(T + conj(T) - phi*conj(phi))": parsed by
// mathjs into a syntax tree and evaluated with complex autodiff tensors, so every derivative the
// no-scale analysis needs comes from the same expression. Fields are the free symbols without a
// given value; `conj(X)` is X̄.
import { createRequire } from "node:module";
import * as C from "@physml/autodiff/complex";
import { PhysmlInputError } from "@physml/lattice-core";
import type { MathNode } from "mathjs";

// mathjs is loaded on the first parse, not with the package: importing it takes ~0.7 s, which
// every `physml` command (each loads this package) would otherwise pay.
let mathParse: ((text: string) => MathNode) | undefined;
function parse(text: string): MathNode {
  mathParse ??= (createRequire(import.meta.url)("mathjs") as typeof import("mathjs")).parse;
  return mathParse(text);
}

type Fn = (args: C.ComplexTensor[]) => C.ComplexTensor;

const FUNCTIONS: Record<string, Fn> = {
  log: ([z]) => C.log(z),
  ln: ([z]) => C.log(z),
  exp: ([z]) => C.exp(z),
  sqrt: ([z]) => C.sqrt(z),
  conj: ([z]) => C.conj(z),
  abs: ([z]) => C.toComplex(C.abs(z)),
};
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

export interface KahlerPotential {
  /** The text as given. */
  readonly text: string;
  /** Field names in order of first appearance; column A of z is field A. */
  readonly fields: readonly string[];
  /** K(z, z̄) at a batch of points z [B, fields.length], complex [B] (real for a Kähler potential). */
  evaluate(z: C.ComplexTensor): C.ComplexTensor;
}

/** Parses `text`; symbols in `params` are numbers, every other free symbol is a complex field. */
export function parseKahler(text: string, params: Record<string, number> = {}): KahlerPotential {
  let root: MathNode;
  try {
    root = parse(text);
  } catch (e) {
    throw new PhysmlInputError("kahler", "an expression mathjs can parse", text, (e as Error).message);
  }
  const fields: string[] = [];
  root.traverse((node, _path, parent) => {
    if (node.type !== "SymbolNode") return;
    const name = (node as unknown as { name: string }).name;
    const isCallee = parent?.type === "FunctionNode" && (parent as unknown as { fn: MathNode }).fn === node;
    if (isCallee) {
      if (!(name in FUNCTIONS)) {
        throw new PhysmlInputError("kahler", `functions among ${Object.keys(FUNCTIONS).join(", ")}`, name);
      }
      return;
    }
    if (name in params || name in CONSTANTS || name === "i") return;
    if (!fields.includes(name)) fields.push(name);
  });
  if (fields.length === 0)
    throw new PhysmlInputError("kahler", "an expression with at least one field", text);
  const evaluate = (z: C.ComplexTensor): C.ComplexTensor => {
    const B = z.shape[0];
    const column = new Map(
      fields.map((f, a) => [f, C.reshape(C.slice(z, [0, a], [B, a + 1]), [B])] as const),
    );
    const ev = (node: MathNode): C.ComplexTensor => {
      switch (node.type) {
        case "ConstantNode":
          return C.toComplex(Number((node as unknown as { value: unknown }).value));
        case "ParenthesisNode":
          return ev((node as unknown as { content: MathNode }).content);
        case "SymbolNode": {
          const name = (node as unknown as { name: string }).name;
          const col = column.get(name);
          if (col) return col;
          if (name === "i") return C.complex(0, 1);
          return C.toComplex(params[name] ?? CONSTANTS[name]);
        }
        case "FunctionNode": {
          const f = node as unknown as { fn: { name: string }; args: MathNode[] };
          return FUNCTIONS[f.fn.name](f.args.map(ev));
        }
        case "OperatorNode": {
          const o = node as unknown as { fn: string; args: MathNode[] };
          const a = o.args.map(ev);
          switch (o.fn) {
            case "add":
              return C.add(a[0], a[1]);
            case "subtract":
              return C.sub(a[0], a[1]);
            case "multiply":
              return C.mul(a[0], a[1]);
            case "divide":
              return C.div(a[0], a[1]);
            case "pow":
              return C.pow(a[0], a[1]);
            case "unaryMinus":
              return C.neg(a[0]);
            case "unaryPlus":
              return a[0];
          }
          throw new PhysmlInputError("kahler", "operators + − * / ^", o.fn);
        }
      }
      throw new PhysmlInputError("kahler", "numbers, fields, functions and + − * / ^", node.type);
    };
    const k = ev(root);
    return k.shape.length === 0 ? C.broadcastTo(k, [B]) : k;
  };
  return { text, fields, evaluate };
}
