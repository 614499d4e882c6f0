// Elementwise functions defined through `defineUnary`: each is its value and its derivative,
// nothing else (the README's "Adding an op" uses this file as the example).
import { defineUnary } from "./define-unary.js";
import { add, div, mul, neg, sqrt, sub } from "./elementwise.js";

/** log(1 + x), accurate near 0. */
export const log1p = defineUnary({ name: "log1p", expr: "Math.log1p(a)", deriv: (x) => div(1, add(x, 1)) });
/** eˣ − 1, accurate near 0. */
export const expm1 = defineUnary({ name: "expm1", expr: "Math.expm1(a)", deriv: (_x, y) => add(y, 1) });
/** tan x; derivative 1 + tan² x. */
export const tan = defineUnary({ name: "tan", expr: "Math.tan(a)", deriv: (_x, y) => add(mul(y, y), 1) });
/** Inverse tangent, in (−π/2, π/2). */
export const atan = defineUnary({
  name: "atan",
  expr: "Math.atan(a)",
  deriv: (x) => div(1, add(mul(x, x), 1)),
});
/** Inverse sine on [−1, 1]. */
export const asin = defineUnary({
  name: "asin",
  expr: "Math.asin(a)",
  deriv: (x) => div(1, sqrt(sub(1, mul(x, x)))),
});
/** Inverse cosine on [−1, 1]. */
export const acos = defineUnary({
  name: "acos",
  expr: "Math.acos(a)",
  deriv: (x) => neg(div(1, sqrt(sub(1, mul(x, x))))),
});
export const sinh = defineUnary({ name: "sinh", expr: "Math.sinh(a)", deriv: (x) => cosh(x) });
export const cosh = defineUnary({ name: "cosh", expr: "Math.cosh(a)", deriv: (x) => sinh(x) });
/** Inverse hyperbolic sine; derivative 1/√(1 + x²). */
export const asinh = defineUnary({
  name: "asinh",
  expr: "Math.asinh(a)",
  deriv: (x) => div(1, sqrt(add(mul(x, x), 1))),
});
/** Inverse hyperbolic tangent on (−1, 1); derivative 1/(1 − x²). */
export const atanh = defineUnary({
  name: "atanh",
  expr: "Math.atanh(a)",
  deriv: (x) => div(1, sub(1, mul(x, x))),
});
/** Round to the nearest integer, halves towards +∞ (Math.round); a constant to every derivative. */
export const round = defineUnary({ name: "round", expr: "Math.round(a)" });
