// Small DOM helpers: every text goes through textContent (run files are data, never markup).

/** Creates an element with attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** A two-column table of label → value rows. */
export function kvTable(rows: [string, string][]): HTMLTableElement {
  return el("table", {}, ...rows.map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, v))));
}

/** A red box with one problem. */
export function problem(text: string): HTMLElement {
  return el("div", { class: "problem" }, text);
}

/** A number for people: 5 significant digits, "—" for anything that is not a finite number. */
export function fmt(v: unknown, digits = 5): string {
  return typeof v === "number" && Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : "—";
}
