// The module-level pieces of the WebAssembly binary format: vectors, names, sections, value types,
// and a one-function module builder for kernels that import their memory.
import { uleb } from "./leb128.js";

/** A vector: its length, then the items. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
/** A name (ASCII here): its byte length, then the bytes. */
export const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
/** Section `id` with its byte length. */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
/** The magic number and version 1. */
export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] as const;

export const T_I32 = 0x7f;
export const T_I64 = 0x7e;
export const T_F64 = 0x7c;
export const T_V128 = 0x7b;

/** A function type with `params` and `results` (value types). */
export const funcType = (params: number[], results: number[] = []): number[] => [
  0x60,
  ...vec(params.map((t) => [t])),
  ...vec(results.map((t) => [t])),
];

/** Code as it is written: instructions (single opcodes or byte arrays) appended in order. */
export type Code = (number | number[])[];

/** A code buffer `c` and `e(...)`, which appends instructions to it. */
export function emitter(): { c: number[]; e: (...xs: Code) => void } {
  const c: number[] = [];
  const e = (...xs: Code) => {
    for (const x of xs) typeof x === "number" ? c.push(x) : c.push(...x);
  };
  return { c, e };
}

/** A function body: its local declarations (`[count, type]` runs) and code, length-prefixed. */
export function funcBody(locals: [number, number][], code: number[]): number[] {
  const fn = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...code];
  return [...uleb(fn.length), ...fn];
}

/**
 * A module with one exported function `name` taking `params` i32 arguments and returning
 * nothing, whose body (as built by {@link funcBody}) is `body`, importing its memory as `env.mem`.
 */
export function moduleBytes(params: number, name: string, body: number[]): Uint8Array {
  return new Uint8Array([
    ...HEADER,
    ...section(1, vec([funcType(new Array<number>(params).fill(T_I32))])),
    ...section(2, vec([[...str("env"), ...str("mem"), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str(name), 0x00, 0]])),
    ...section(10, vec([body])),
  ]);
}
