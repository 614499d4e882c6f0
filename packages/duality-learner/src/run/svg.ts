// Minimal self-contained SVG charts (line plots and bar charts) for the offline HTML reports.

/** One line of a plot. */
export interface Series {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  label: string;
  color: string;
  dashed?: boolean;
  /** Draw markers (with optional ± error bars) instead of a line. */
  points?: boolean;
  errors?: ArrayLike<number>;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12 * step; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

const fmt = (v: number) =>
  Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0)
    ? v.toExponential(0)
    : String(Number(v.toPrecision(4)));

/** A line plot as an `<svg>` element string. `logY` plots log10 of positive values. */
export function linePlot(opts: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logY?: boolean;
  width?: number;
  height?: number;
}): string {
  const W = opts.width ?? 560;
  const H = opts.height ?? 320;
  const m = { l: 64, r: 16, t: 28, b: 44 };
  const ty = (v: number) => (opts.logY ? Math.log10(v) : v);
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const s of opts.series) {
    for (let i = 0; i < s.x.length; i++) {
      const y = ty(s.y[i]);
      if (!Number.isFinite(y) || !Number.isFinite(s.x[i])) continue;
      const e = s.errors?.[i] ?? 0;
      x0 = Math.min(x0, s.x[i]);
      x1 = Math.max(x1, s.x[i]);
      y0 = Math.min(y0, y - (opts.logY ? 0 : e));
      y1 = Math.max(y1, y + (opts.logY ? 0 : e));
    }
  }
  if (!Number.isFinite(x0)) {
    x0 = 0;
    x1 = 1;
    y0 = 0;
    y1 = 1;
  }
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const pad = 0.05 * (y1 - y0);
  y0 -= pad;
  y1 += pad;
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13">${esc(opts.title)}</text>`,
    `<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#999"/>`,
  ];
  for (const v of niceTicks(x0, x1)) {
    parts.push(`<line x1="${px(v)}" x2="${px(v)}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="#666"/>`);
    parts.push(`<text x="${px(v)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(v)}</text>`);
  }
  for (const v of niceTicks(y0, y1)) {
    const label = opts.logY ? `1e${fmt(v)}` : fmt(v);
    parts.push(`<line x1="${m.l - 4}" x2="${m.l}" y1="${py(v)}" y2="${py(v)}" stroke="#666"/>`);
    parts.push(`<text x="${m.l - 6}" y="${py(v) + 4}" text-anchor="end">${label}</text>`);
  }
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  parts.push(
    `<text x="14" y="${(m.t + H - m.b) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(m.t + H - m.b) / 2})">${esc(opts.yLabel)}</text>`,
  );
  opts.series.forEach((s, k) => {
    const pts: string[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const y = ty(s.y[i]);
      if (Number.isFinite(y) && Number.isFinite(s.x[i]))
        pts.push(`${px(s.x[i]).toFixed(1)},${py(y).toFixed(1)}`);
    }
    if (s.points) {
      for (let i = 0; i < s.x.length; i++) {
        const y = ty(s.y[i]);
        if (!Number.isFinite(y)) continue;
        const e = s.errors?.[i] ?? 0;
        if (e > 0 && !opts.logY) {
          parts.push(
            `<line x1="${px(s.x[i])}" x2="${px(s.x[i])}" y1="${py(y - e)}" y2="${py(y + e)}" stroke="${s.color}"/>`,
          );
        }
        parts.push(`<circle cx="${px(s.x[i])}" cy="${py(y)}" r="3" fill="${s.color}"/>`);
      }
    } else if (pts.length > 0) {
      parts.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="6 4"' : ""} points="${pts.join(" ")}"/>`,
      );
    }
    const ly = m.t + 14 + 14 * k;
    parts.push(
      `<line x1="${W - m.r - 150}" x2="${W - m.r - 130}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4 3"' : ""}/>`,
    );
    parts.push(`<text x="${W - m.r - 126}" y="${ly}">${esc(s.label)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** A vertical bar chart as an `<svg>` element string (values in [0, max]). */
export function barChart(opts: {
  title: string;
  labels: string[];
  values: ArrayLike<number>;
  colors: string[];
  max?: number;
  width?: number;
  height?: number;
}): string {
  const W = opts.width ?? 560;
  const H = opts.height ?? 280;
  const m = { l: 44, r: 10, t: 28, b: 90 };
  const n = opts.labels.length;
  const max = opts.max ?? Math.max(1e-12, ...Array.from(opts.values));
  const bw = (W - m.l - m.r) / Math.max(1, n);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13">${esc(opts.title)}</text>`,
    `<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#666"/>`,
  ];
  for (const v of niceTicks(0, max, 4)) {
    const y = H - m.b - (v / max) * (H - m.t - m.b);
    parts.push(`<text x="${m.l - 6}" y="${y + 4}" text-anchor="end">${fmt(v)}</text>`);
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="#eee"/>`);
  }
  for (let i = 0; i < n; i++) {
    const h = (Math.max(0, opts.values[i]) / max) * (H - m.t - m.b);
    const x = m.l + i * bw;
    parts.push(
      `<rect x="${x + 2}" y="${H - m.b - h}" width="${Math.max(1, bw - 4)}" height="${h}" fill="${opts.colors[i] ?? "#4477aa"}"/>`,
    );
    const cx = x + bw / 2;
    parts.push(
      `<text x="${cx}" y="${H - m.b + 8}" text-anchor="end" transform="rotate(-60 ${cx} ${H - m.b + 8})">${esc(opts.labels[i])}</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n");
}
