// A dense layer's backward pass, act(x·W + b) with act = tanh or the identity, in the product
// module's memory. Composed, the rules make ga = tanhGrad(y, g) (a fresh array, through the
// elementwise module's copies), sum it over the rows for the bias, then copy ga into the product
// module twice more for gx = ga·Wᵀ and gW = xᵀ·ga. Here g and y are copied in once, ga is formed
// in place and both products and the bias sum (colSum) read it there. Every result is computed by
// the same operations in the same order as the composed rules (the tanhGrad program's IEEE
// operations, the sum op's row-ordered sums, the matrix kernel's k-ordered sums), so the two agree
// bit for bit.

import { type ArrayRows, threadReadable } from "./matmul-threads.js";
import { reduceKernel } from "./reduce.js";
import type { Data } from "./types.js";
import { keep, keptAt, placeBeside } from "./wasm-kept.js";
import {
  BASE,
  copyOut,
  instance,
  KC,
  KC_SPLIT,
  memory,
  packBlocks,
  poolFor,
  rowsProduct,
  SLAB_DOUBLES,
  type Slab,
  sharedRows,
  slabProduct,
  transAStagedK,
} from "./wasm-matmul.js";
import { residentOffset } from "./wasm-resident.js";

/** Rows that a job's threads find in place (a kept copy) rather than copy in: ArrayRows id −2. */
const inPlace = (rows: number, width: number): ArrayRows => ({ id: -2, off: 0, rows, width });

/** Where the gradients go; null for those not wanted. */
export interface DenseGrads {
  gx: Data | null; // [R, I]
  gW: Data | null; // [I, O]
  gb: Data | null; // [O]
}

/**
 * The gradients of a dense layer with R rows, I inputs and O outputs from the cotangent g [R, O]:
 * ga = g·(1 − y²) with y = tanh output [R, O] (ga = g when y is null), gx = ga·Wᵀ, gW = xᵀ·ga,
 * gb = Σ_rows ga. Returns false, writing nothing, when the SIMD module is unavailable or the
 * operands do not fit its memory.
 */
export function wasmDenseBackward(
  g: Data,
  y: Data | null,
  x: Data,
  W: Data,
  R: number,
  I: number,
  O: number,
  out: DenseGrads,
): boolean {
  const w = instance();
  if (w === null) return false;
  const Rp = (R + 3) & ~3;
  const Ip = (I + 3) & ~3;
  const Op = (O + 3) & ~3;
  const kcX = O > KC_SPLIT ? KC : O; // K blocks of gx = ga·Wᵀ (K = O), as the product's rows path
  const kcW = Math.min(R, Math.max(8, Math.min(KC, Math.floor(SLAB_DOUBLES / Ip)))); // K slabs of gW
  // g may be the layer above's gx and y its x, both left in the module by its backward
  // (wasm-kept.ts; whole rows only, R a multiple of 4): then ga is formed where g is, and y read
  // where it is
  // g resident (the layer above's gx, wasm-resident.ts) stays as it is: ga is formed from it into
  // a region of this call (tanhGradTo), or, without y, read where g is
  const gRes = R % 4 === 0 ? residentOffset(g) : -1;
  let gKept = gRes < 0 && R % 4 === 0 ? keptAt(g, "gx", R, O) : -1;
  // y and x may be resident (wasm-resident.ts): read in place, x only with I unpadded (gW's
  // padding rows would read past it)
  const yRes = y !== null && R % 4 === 0 ? residentOffset(y) : -1;
  const xRes = out.gW !== null && R % 4 === 0 && Ip === I ? residentOffset(x) : -1;
  let yKept = y !== null && yRes < 0 && R % 4 === 0 ? keptAt(y, "x", R, O) : -1;
  // with threads, gW is one job staged K block by K block: x whole [R·I + 4] | packed ga [R·Op].
  // Without gx (x a constant, as an MLP's first layer), ga is not formed by a gx job: then that
  // job's K units form it too, from g and y on shared memory, and it pays for threads from 8 rows
  // of C on (a first layer's few inputs); the K blocks' tanhGrad needs kLen·O even.
  const threadsFormGa =
    out.gx === null &&
    out.gW !== null &&
    threadReadable(g) &&
    (y === null || threadReadable(y)) &&
    (O % 2 === 0 || (R % 2 === 0 && kcW % 2 === 0));
  const poolW = out.gW !== null ? poolFor(w, I, R, O, true, threadsFormGa ? 8 : undefined) : null;
  // layout (doubles, after BASE, or beside the kept copies): ga [Rp·O] (unless kept) | y [Rp·O]
  // (unless kept) | raw W [I·O] | packed Wᵀ [O·Ip] | gx [Rp·Ip] | 2 × (x slab [kcW·I + 4] |
  // packed ga slab [kcW·Op]), or the threads' layout below | gW [Ip·Op] | gb [O]
  const slabDoubles = kcW * I + 4 + kcW * Op;
  const rest =
    I * O + O * Ip + Rp * Ip + (poolW !== null ? R * I + 4 + R * Op : 2 * slabDoubles) + Ip * Op + O;
  let start = BASE;
  if (gKept >= 0 || yKept >= 0) {
    const need = (gKept < 0 ? Rp * O : 0) + (yKept < 0 && yRes < 0 ? Rp * O : 0) + rest;
    start = placeBeside(BASE, need, [
      [gKept, R * O],
      [yKept, R * O],
    ]);
    if (start < 0) [gKept, yKept, start] = [-1, -1, BASE];
  }
  let next = start; // the call's own regions, one after another
  const own = (doubles: number) => {
    next += doubles;
    return next - doubles;
  };
  const gaOff = gKept >= 0 ? gKept : gRes >= 0 && y === null ? gRes : own(Rp * O);
  const gIn = gKept >= 0 || gRes >= 0; // g in place: nothing to copy
  const yOff = yRes >= 0 ? yRes : yKept >= 0 ? yKept : own(Rp * O);
  const yIn = yRes >= 0 || yKept >= 0; // y in place: nothing to copy
  const wRawOff = next;
  const wPackOff = wRawOff + I * O;
  const gxOff = wPackOff + O * Ip;
  const slabOff = gxOff + Rp * Ip;
  const gWOff = slabOff + (poolW !== null ? R * I + 4 + R * Op : 2 * slabDoubles);
  const gbOff = gWOff + Ip * Op;
  const f = memory(w, gbOff + O);
  if (f === null) return false;
  // how a job's threads find g in place: already ga's rows (kept, or resident without y), or the
  // resident rows ga is formed from
  const gInPlace: ArrayRows =
    gRes >= 0 && y !== null ? { id: -3, off: gRes, rows: R, width: O } : inPlace(R, O);

  // ga for rows [r0, r1) (multiples of 4), the padding rows zero: g and y copied in, ga formed in
  // place (0·(1 − 0) = 0 on the padding rows)
  const prepare = (r0: number, r1: number) => {
    const real = Math.min(R, r1);
    if (!gIn) {
      f.set(g.subarray(r0 * O, real * O), gaOff + r0 * O);
      f.fill(0, gaOff + real * O, gaOff + r1 * O);
    }
    if (y === null) return;
    if (!yIn) {
      f.set(y.subarray(r0 * O, real * O), yOff + r0 * O);
      f.fill(0, yOff + real * O, yOff + r1 * O);
    }
    const pairs = ((r1 - r0) * O) >> 1;
    if (gRes >= 0) w.tanhGradTo((gaOff + r0 * O) * 8, (gRes + r0 * O) * 8, (yOff + r0 * O) * 8, pairs);
    else w.tanhGrad((gaOff + r0 * O) * 8, (yOff + r0 * O) * 8, pairs);
  };

  if (out.gx !== null) {
    // gx = ga·Wᵀ: B = Wᵀ packed from W [I, O] read transposed, K blocks of kcX; with threads, ga is
    // prepared block by block while the workers already multiply the blocks before
    const gx = out.gx;
    f.set(W.subarray(0, I * O), wRawOff);
    packBlocks(w, wRawOff, wPackOff, O, I, Ip, kcX, true);
    const pool = poolFor(w, R, O, I, false);
    // g, y and gx on SharedArrayBuffers: each thread prepares its own rows of ga and copies its
    // block of gx out
    const gRows = !pool ? undefined : gIn ? gInPlace : sharedRows(pool, g, 0, R, O);
    const yRows = !pool || y === null ? undefined : yIn ? inPlace(R, O) : sharedRows(pool, y, 0, R, O);
    const selfStaged = gRows !== undefined && (y === null || yRows !== undefined);
    // gx resident (wasm-resident.ts; whole unpadded rows): the product writes it in place
    const gxRes = Rp === R && Ip === I ? residentOffset(gx) : -1;
    const layout = {
      a: gaOff,
      b: wPackOff,
      c: gxRes >= 0 ? gxRes : gxOff,
      rows: Rp,
      K: O,
      kc: kcX,
      Np: Ip,
      bias: -1,
      tanh: false,
      inA: selfStaged ? gRows : undefined,
      inY: selfStaged && yRows ? { ...yRows, at: yOff * 8 } : undefined,
      outC: pool && gxRes < 0 ? sharedRows(pool, gx, 0, R, I) : undefined,
    };
    rowsProduct(w, pool, layout, prepare, (r0, r1) => {
      const rows = Math.min(R, r1) - r0;
      if (rows > 0 && gxRes < 0) copyOut(f, gxOff + r0 * Ip, Ip, gx, r0 * I, I, rows);
    });
    // gx, whole and unpadded, is the cotangent the layer below reads
    if (Rp === R && Ip === I && gxRes < 0) keep(gx, "gx", gxOff, R, I);
  } else if (!(threadsFormGa && poolW !== null)) prepare(0, Rp);

  if (out.gW !== null) {
    if (poolW !== null) {
      // gW = xᵀ·ga with threads: one hand-off for the whole product where a slab pipeline needs
      // one per slab; each block of C gets the same mm calls as on one thread
      const xOff = xRes >= 0 ? xRes : slabOff;
      const bOff = slabOff + R * I + 4;
      if (xRes < 0) f.fill(0, xOff + R * I, bOff); // read by the padding columns (productTransA)
      const layout = { a: xOff, b: bOff, c: gWOff, M: I, Mp: Ip, Np: Op, K: R, kc: kcW };
      const xRows = xRes >= 0 ? undefined : sharedRows(poolW, x, 0, R, I);
      const packFrom = { raw: gaOff * 8, N: O, rowStride: O * 8, colStride: 8 };
      if (threadsFormGa) {
        // the threads form ga K block by K block (g and y on shared memory), and stage x's rows
        // too when x is shared; else x goes in whole first
        if (xRows === undefined && xRes < 0) f.set(x.subarray(0, R * I), xOff);
        const inG = gIn ? gInPlace : sharedRows(poolW, g, 0, R, O);
        const yRows = y === null ? undefined : yIn ? inPlace(R, O) : sharedRows(poolW, y, 0, R, O);
        const inY = yRows && { ...yRows, at: yOff * 8 };
        transAStagedK(poolW, layout, undefined, { inA: xRows, packFrom, inG, inY });
      } else if (xRows !== undefined || xRes >= 0) {
        // x on a SharedArrayBuffer (or resident): the threads stage the K blocks too, in parallel
        transAStagedK(poolW, layout, undefined, { inA: xRows, packFrom });
      } else {
        const stage = (blk: number) => {
          const k0 = blk * kcW;
          const kLen = Math.min(kcW, R - k0);
          f.set(x.subarray(k0 * I, (k0 + kLen) * I), xOff + k0 * I);
          w.packB((gaOff + k0 * O) * 8, (bOff + k0 * Op) * 8, kLen, O, O * 8, 8);
        };
        transAStagedK(poolW, layout, stage);
      }
      // x, whole, is the output of the layer below, which its backward reads as y
      if (Rp === R && xRes < 0) keep(x, "x", xOff, R, I);
    } else {
      // gW = xᵀ·ga on this thread: K = R in slabs; x's rows are copied in, ga's rows packed where
      // they are
      const stageSlab = (slab: number): Slab => {
        const k0 = slab * kcW;
        const kLen = Math.min(kcW, R - k0);
        const xOff = slabOff + (slab & 1) * slabDoubles;
        const bOff = xOff + kcW * I + 4;
        w.packB((gaOff + k0 * O) * 8, bOff * 8, kLen, O, O * 8, 8);
        if (xRes >= 0) return { a: xRes + k0 * I, b: bOff, kLen };
        f.set(x.subarray(k0 * I, (k0 + kLen) * I), xOff);
        f.fill(0, xOff + kLen * I, xOff + kLen * I + 4); // read by the padding columns (productTransA)
        return { a: xOff, b: bOff, kLen };
      };
      slabProduct(w, null, Math.ceil(R / kcW), stageSlab, gWOff, I, Ip, Op);
    }
    copyOut(f, gWOff, Op, out.gW, 0, O, I);
  }
  if (out.gb !== null) {
    // the bias gradient: column sums of ga where it was formed (the sum op's order, bit for bit)
    if (O % 2 === 0) {
      w.colSum(gaOff * 8, R, O, gbOff * 8);
      out.gb.set(f.subarray(gbOff, gbOff + O));
    } else reduceKernel("sum", f.subarray(gaOff, gaOff + R * O), [R, O], [0], out.gb);
  }
  return true;
}
