// A stored array drawn as an image: the last two axes are the lattice (rows = y, columns = x),
// any leading axes pick one configuration (e.g. one chain). Values map linearly from the whole
// array's minimum (dark) to its maximum (light), so spins ±1 show as two colours.
import type { ArrayData } from "./api.js";
import { el } from "./dom.js";

const LOW = [31, 59, 115];
const HIGH = [244, 211, 94];

/** Paints configuration `k` of `arr` into `canvas` (one pixel per site). */
export function paint(canvas: HTMLCanvasElement, arr: ArrayData, k: number): void {
  const [H, W] = arr.shape.slice(-2);
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("this browser gives no 2D canvas");
  const img = ctx.createImageData(W, H);
  const plane = arr.data.slice(k * W * H, (k + 1) * W * H);
  // The range of the whole array, so an ordered configuration (all +1 or all −1) keeps its colour.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of arr.data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi > lo ? hi - lo : 1;
  for (let i = 0; i < plane.length; i++) {
    const f = (plane[i] - lo) / span;
    for (let c = 0; c < 3; c++) img.data[4 * i + c] = Math.round(LOW[c] + f * (HIGH[c] - LOW[c]));
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** A figure with the image of `arr` and, for a stack, a slider choosing the configuration. */
export function arrayFigure(arr: ArrayData): HTMLElement {
  const shape = `${arr.name}: ${arr.dtype}, shape (${arr.shape.join(", ")})`;
  if (arr.shape.length < 2 || arr.data.length === 0) {
    const head = arr.data.slice(0, 8).join(", ");
    return el("figure", {}, el("figcaption", {}, `${shape}: ${head}${arr.data.length > 8 ? ", …" : ""}`));
  }
  const [H, W] = arr.shape.slice(-2);
  const count = arr.data.length / (H * W);
  const canvas = el("canvas", { class: "spins", "data-array": arr.name });
  const caption = el("figcaption", {}, shape);
  const fig = el("figure", {}, canvas, caption);
  const draw = (k: number) => {
    paint(canvas, arr, k);
    caption.textContent = count > 1 ? `${shape}, configuration ${k + 1} of ${count}` : shape;
  };
  if (count > 1) {
    const slider = el("input", { type: "range", min: "0", max: String(count - 1), value: "0" });
    slider.addEventListener("input", () => draw(Number(slider.value)));
    fig.append(slider);
  }
  draw(0);
  return fig;
}
