// report.html: one self-contained page (inline CSS and SVG, no script, no external resource).
import { renderSvg, type TopLevelSpec } from "./plot.js";

/** HTML-escapes text. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A table: header cells and rows of cells (plain text, escaped here). */
export interface ReportTable {
  head?: readonly string[];
  rows: readonly (readonly string[])[];
}

/** What a report shows. */
export interface ReportContent {
  title: string;
  /** Key–value summary rows shown first. */
  summary?: readonly (readonly [string, string])[];
  charts?: readonly TopLevelSpec[];
  tables?: readonly ReportTable[];
  /** Short paragraphs of plain text. */
  notes?: readonly string[];
}

function table(t: ReportTable): string {
  const head = t.head ? `<tr>${t.head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>` : "";
  const rows = t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("");
  return `<table>${head}${rows}</table>`;
}

/** Renders the charts to SVG and returns the whole page. */
export async function reportHtml(c: ReportContent): Promise<string> {
  const svgs = await Promise.all((c.charts ?? []).map((s) => renderSvg(s)));
  const summary = c.summary?.length
    ? `<table>${c.summary.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(c.title)}</title>
<style>body{font-family:sans-serif;max-width:1180px;margin:24px auto;padding:0 12px;color:#222}
table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f4f4f4;text-align:left}.plots{display:flex;flex-wrap:wrap;gap:16px}</style></head>
<body><h1>${escapeHtml(c.title)}</h1>
${summary}
${(c.notes ?? []).map((n) => `<p>${escapeHtml(n)}</p>`).join("\n")}
<div class="plots">${svgs.join("\n")}</div>
${(c.tables ?? []).map(table).join("\n")}
</body></html>
`;
}
