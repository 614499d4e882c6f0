// The viewer page: the run list on the left, one run or one sweep on the right, chosen by the
// URL hash (#run=<dir> or #sweep=<dir>). Every failure is shown on the page (banner and the
// section it concerns); nothing fails into a blank screen.
import "./style.css";
import { type ArrayData, getJson, q, type RunDetail, type RunList, type SweepData } from "./api.js";
import { makeChart } from "./charts.js";
import { el, fmt, kvTable, problem } from "./dom.js";
import { MetricsView } from "./metrics.js";
import { arrayFigure } from "./spins.js";

const banner = document.getElementById("error") as HTMLElement;
const nav = document.getElementById("runs") as HTMLElement;
const main = document.getElementById("detail") as HTMLElement;

function showError(message: string): void {
  banner.textContent = message;
  banner.hidden = false;
}
window.addEventListener("error", (e) => showError(`error: ${e.message}`));
window.addEventListener("unhandledrejection", (e) =>
  showError(`error: ${String(e.reason?.message ?? e.reason)}`),
);

/** Whatever the current view holds open (the live stream, the charts). */
let cleanup: (() => void) | null = null;

async function loadList(): Promise<void> {
  let list: RunList;
  try {
    list = await getJson<RunList>("/api/runs");
  } catch (e) {
    nav.replaceChildren(problem(`cannot list the runs: ${(e as Error).message}`));
    throw e;
  }
  (document.getElementById("root") as HTMLElement).textContent = list.root;
  const items: HTMLElement[] = [el("h2", {}, `Runs (${list.runs.length})`)];
  if (list.runs.length === 0)
    items.push(el("p", { class: "muted" }, "No run directories (with config.json) here."));
  for (const r of list.runs) {
    const headline =
      r.error ??
      (r.failure
        ? `failed: ${r.failure.message}`
        : r.result && typeof r.result.t0 === "number"
          ? `t0 ${fmt(r.result.t0)}`
          : `${r.metricsLines} metrics lines`);
    items.push(
      el(
        "button",
        { "data-run": r.dir, title: r.dir },
        el("span", {}, r.dir, " ", el("span", { class: `status ${r.status}` }, r.status)),
        el("span", { class: "sub" }, `${r.kind} · ${headline}`),
      ),
    );
  }
  if (list.sweeps.length) {
    items.push(el("h2", {}, "Sweeps"));
    for (const s of list.sweeps)
      items.push(
        el(
          "button",
          { "data-sweep": s.dir },
          el("span", {}, s.dir === "." ? "(runs directory)" : s.dir),
          el("span", { class: "sub" }, `${s.points} ${s.kind} runs`),
        ),
      );
  }
  nav.replaceChildren(...items);
  nav.addEventListener("click", (e) => {
    const b = (e.target as HTMLElement).closest("button");
    if (!b) return;
    location.hash =
      b.dataset.run !== undefined ? `run=${q(b.dataset.run)}` : `sweep=${q(b.dataset.sweep ?? "")}`;
  });
}

function select(attr: string, value: string): void {
  for (const b of nav.querySelectorAll("button"))
    b.classList.toggle("selected", b.getAttribute(attr) === value);
}

async function showRun(dir: string, current: () => boolean): Promise<void> {
  select("data-run", dir);
  const d = await getJson<RunDetail>(`/api/run?run=${q(dir)}`);
  if (!current()) return;
  const s = d.summary;
  const head = el("h2", {}, `${d.run} `, el("span", { class: `status ${s.status}` }, s.status));
  const parts: HTMLElement[] = [head];
  if (s.error) parts.push(problem(`This run cannot be read completely: ${s.error}`));
  const f = s.failure;
  if (f)
    parts.push(problem(`This run failed (${f.category}, exit ${f.code}) at ${f.failedAt}: ${f.message}`));
  const facts = kvTable([
    ["kind", s.kind],
    ["written by", `${s.package} ${s.version}${s.git ? ` (git ${s.git})` : ""}`],
    ["created", s.createdAt || "—"],
    ["metrics lines", String(s.metricsLines)],
    ["checkpoint", s.checkpointStep === undefined ? "—" : `step ${s.checkpointStep}`],
  ]);
  parts.push(facts);
  const stepsCell = facts.rows[3].cells[1];

  const result = el("section", { id: "result" }, el("h2", {}, "Result"));
  if (d.reference) {
    const r = d.reference;
    result.append(
      kvTable([
        [`learned ${r.quantity}`, `${fmt(r.learned)} ± ${r.error === null ? "n/a" : fmt(r.error, 2)}`],
        [`exact ${r.exactName}`, fmt(r.exact)],
        ["relative error", `${(100 * r.relativeError).toFixed(2)} %`],
        ["pull (learned − exact)/σ", r.pull === null ? "n/a" : r.pull.toFixed(2)],
      ]),
    );
  }
  if (s.result) {
    const scalars = Object.entries(s.result).filter(([, v]) => typeof v !== "object" || v === null);
    result.append(
      el(
        "details",
        {},
        el("summary", {}, "all result fields"),
        kvTable(scalars.map(([k, v]) => [k, String(v)])),
      ),
    );
  } else
    result.append(
      el(
        "p",
        { class: "muted" },
        s.error ? "No readable result." : "No result yet (the run has not finished).",
      ),
    );
  const att = s.result?.attention as { slots?: unknown; weights?: unknown } | undefined;
  if (att && Array.isArray(att.slots) && Array.isArray(att.weights)) {
    const weights = att.weights as number[];
    result.append(
      el("h3", {}, "attention over the candidate links"),
      el(
        "table",
        { class: "bars" },
        ...(att.slots as string[]).map((slot, k) =>
          el(
            "tr",
            {},
            el("th", {}, String(slot)),
            el(
              "td",
              { style: "width: 16em" },
              el("div", { style: `width: ${Math.max(0, Math.min(1, weights[k])) * 100}%` }),
            ),
            el("td", {}, fmt(weights[k], 3)),
          ),
        ),
      ),
    );
  }
  if (d.exact && !d.reference)
    result.append(el("p", {}, `exact ${d.exact.exactName} = ${fmt(d.exact.exact)}`));
  parts.push(result);

  const liveBox = el("div", { class: "charts", id: "live" });
  const liveStatus = el("p", { class: "muted" }, "connecting…");
  const problems = el("div", {});
  parts.push(el("section", {}, el("h2", {}, "Metrics (live)"), liveStatus, problems, liveBox));

  const arrays = el("section", { id: "arrays" }, el("h2", {}, "Arrays"));
  if (d.arrays.length === 0) arrays.append(el("p", { class: "muted" }, "No arrays saved."));
  parts.push(arrays);

  if (d.hasReport) {
    const href = `/files/${d.run.split("/").map(q).join("/")}/report.html`;
    parts.push(
      el(
        "section",
        {},
        el("h2", {}, "Report ", el("a", { href, target: "_blank" }, "(open)")),
        el("iframe", { class: "report", src: href, sandbox: "", title: "report.html" }),
      ),
    );
  }
  parts.push(
    el("section", {}, el("h2", {}, "Configuration"), el("pre", {}, JSON.stringify(s.config, null, 2))),
  );
  main.replaceChildren(...parts);

  const view = new MetricsView(liveBox, d.exact?.exact ?? null);
  const source = new EventSource(`/api/live?run=${q(dir)}`);
  source.addEventListener("metrics", (e) => {
    view.add((JSON.parse((e as MessageEvent).data) as { records: unknown[] }).records);
    stepsCell.textContent = String(view.count);
    liveStatus.textContent = `${view.count} steps${s.status === "running" || s.status === "unfinished" ? " (following the file)" : ""}`;
  });
  source.addEventListener("reset", () => view.reset());
  source.addEventListener("problem", (e) => {
    problems.append(problem((JSON.parse((e as MessageEvent).data) as { message: string }).message));
  });
  source.addEventListener("ready", () => {
    if (view.count === 0) liveStatus.textContent = "no metrics yet (waiting for lines)";
  });
  source.onerror = () => {
    liveStatus.textContent = "live stream interrupted; retrying…";
  };
  cleanup = () => {
    source.close();
    view.destroy();
  };

  for (const a of d.arrays) {
    try {
      const data = await getJson<ArrayData>(`/api/array?run=${q(dir)}&name=${q(a.name)}`);
      if (!current()) return;
      arrays.append(arrayFigure(data));
    } catch (e) {
      arrays.append(problem(`arrays/${a.name}.npy: ${(e as Error).message}`));
    }
  }
}

async function showSweep(dir: string, current: () => boolean): Promise<void> {
  select("data-sweep", dir);
  const d = await getJson<SweepData>(`/api/sweep?dir=${q(dir)}`);
  if (!current()) return;
  const parts: HTMLElement[] = [el("h2", {}, `Sweep ${d.dir}: learned |t0|(β) against Kramers–Wannier`)];
  if (d.points.length === 0) parts.push(problem("No finished duality-kw run in this sweep yet."));
  else {
    const xs = [...new Set([...(d.exact?.beta ?? []), ...d.points.map((p) => p.beta)])].sort((a, b) => a - b);
    const exactAt = new Map(d.exact ? d.exact.beta.map((b, i) => [b, d.exact?.dual[i] ?? null]) : []);
    const pointAt = new Map(d.points.map((p) => [p.beta, p]));
    const chart = el("div", { id: "sweep-chart", "data-points": String(d.points.length) });
    parts.push(chart);
    main.replaceChildren(...parts);
    const plot = makeChart(
      chart,
      {
        title: "learned dual coupling against the exact β̃(β)",
        xLabel: "β (original coupling)",
        yLabel: "|t0| (learned dual coupling)",
        width: 640,
        height: 380,
        padX: 0.05,
        series: [
          ...(d.exact ? [{ label: "exact β̃(β)", color: "#cc3311", dash: [6, 4] }] : []),
          { label: "learned |t0| ± 1σ", color: "#4477aa", points: true },
        ],
        errors: { [d.exact ? 2 : 1]: xs.map((b) => pointAt.get(b)?.t0Error ?? null) },
      },
      [
        xs,
        ...(d.exact ? [xs.map((b) => exactAt.get(b) ?? null)] : []),
        xs.map((b) => pointAt.get(b)?.t0 ?? null),
      ],
    );
    cleanup = () => plot.destroy();
    parts.push(
      el(
        "table",
        { id: "sweep-table" },
        el("tr", {}, ...["run", "β", "|t0|", "±", "exact β̃", "error"].map((h) => el("th", {}, h))),
        ...d.points.map((p) =>
          el(
            "tr",
            {},
            el("td", {}, el("a", { href: `#run=${q(p.run)}` }, p.run)),
            el("td", {}, fmt(p.beta)),
            el("td", {}, fmt(p.t0)),
            el("td", {}, fmt(p.t0Error, 2)),
            el("td", {}, fmt(p.exact)),
            el("td", {}, p.exact ? `${((100 * (p.t0 - p.exact)) / p.exact).toFixed(2)} %` : "—"),
          ),
        ),
      ),
    );
  }
  for (const s of d.skipped) parts.push(el("p", { class: "muted" }, `${s.run}: ${s.why}`));
  main.replaceChildren(...parts);
}

/** Counts views, so a slow answer for a view already left does not overwrite the new one. */
let generation = 0;

async function route(): Promise<void> {
  cleanup?.();
  cleanup = null;
  const gen = ++generation;
  const current = () => gen === generation;
  const hash = new URLSearchParams(location.hash.slice(1));
  try {
    const run = hash.get("run");
    const sweep = hash.get("sweep");
    if (run !== null) await showRun(run, current);
    else if (sweep !== null) await showSweep(sweep, current);
  } catch (e) {
    if (!current()) return;
    const msg = (e as Error).message;
    main.replaceChildren(problem(`Cannot show ${location.hash.slice(1)}: ${msg}`));
    showError(msg);
  }
}

window.addEventListener("hashchange", () => void route());
loadList()
  .then(route)
  .catch((e) => showError(`cannot list the runs: ${(e as Error).message}`));
