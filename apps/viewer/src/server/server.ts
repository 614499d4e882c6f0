// `physml view`: a Node http server on 127.0.0.1 that serves the built client, a JSON API over
// one runs directory and the files under it (report.html), and follows metrics.jsonl live by
// server-sent events. Every path a request names is checked by resolveInside first.
import { createReadStream, existsSync, realpathSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseOptions } from "@physml/lattice-core";
import { arrayData, type CurrentSummary, runDetail, runList, sweepData } from "./api.js";
import { MetricsTail } from "./live.js";
import { viewerOptionsSchema } from "./options.js";
import { resolveInside, ViewerPathError } from "./paths.js";

/** The port asked for is taken. */
export class ViewerPortError extends Error {
  readonly port: number;
  constructor(port: number) {
    super(`port ${port} on 127.0.0.1 is in use`);
    this.name = "ViewerPortError";
    this.port = port;
  }
}

/** Options of {@link startViewer}. */
export interface ViewerOptions {
  /** The runs directory (the only one whose files are served). */
  root: string;
  /** Port on 127.0.0.1; 0 (default) lets the system choose a free one. */
  port?: number;
  /** The built client (default: the package's dist/client). */
  clientDir?: string;
  /** How often a live metrics stream looks for new lines, in ms (default 250). */
  pollMs?: number;
  /** How a stored run reads under the current field names (default: as stored). */
  current?: CurrentSummary;
}

/** A running viewer. */
export interface Viewer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** The viewer's built client shipped with this package (dist/client), or null when not built. */
export function builtClientDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  // From dist/server the client is its sibling; from src/server (workspace) it is ../../dist/client.
  const dir = basename(dirname(here)) === "dist" ? join(here, "../client") : join(here, "../../dist/client");
  return existsSync(join(dir, "index.html")) ? dir : null;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".jsonl": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

const NOT_BUILT =
  "<!doctype html><title>physml viewer</title><p>The viewer's page is not built: run <code>pnpm -F @physml/viewer build</code> (the JSON API under /api/ works without it).</p>";

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  res.end(text);
}

function sendFile(res: ServerResponse, path: string, sandbox: boolean): void {
  if (!statSync(path).isFile()) throw new ViewerPathError(404, "not a file");
  res.writeHead(200, {
    "content-type": TYPES[extname(path)] ?? "application/octet-stream",
    "x-content-type-options": "nosniff",
    // Files of runs are data: a report may draw inline SVG and styles but run nothing.
    ...(sandbox
      ? { "content-security-policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:" }
      : {}),
  });
  createReadStream(path)
    .on("error", () => res.destroy())
    .pipe(res);
}

function param(url: URL, name: string): string {
  const v = url.searchParams.get(name);
  if (v === null) throw new ViewerPathError(400, `missing query parameter ${name}`);
  return v;
}

function runDir(root: string, rel: string): string {
  const dir = resolveInside(root, rel);
  if (!statSync(dir).isDirectory()) throw new ViewerPathError(404, `${rel}: not a directory`);
  return dir;
}

/** Streams a run's metrics as server-sent events until the page goes away. */
function liveMetrics(req: IncomingMessage, res: ServerResponse, dir: string, pollMs: number): void {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
  });
  const send = (event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const tail = new MetricsTail(join(dir, "metrics.jsonl"), {
    records: (records, from) => send("metrics", { records, from }),
    reset: () => send("reset", {}),
    problem: (message) => send("problem", { message }),
  });
  const poll = () => {
    try {
      tail.poll();
    } catch (e) {
      send("problem", { message: `metrics.jsonl: ${(e as Error).message}` });
    }
  };
  poll();
  send("ready", {});
  const timer = setInterval(poll, pollMs);
  const stop = () => clearInterval(timer);
  req.on("close", stop);
  res.on("close", stop);
}

/** Starts the viewer on 127.0.0.1 over the runs directory `root`. */
export async function startViewer(opts: ViewerOptions): Promise<Viewer> {
  const { port: asked } = parseOptions(viewerOptionsSchema, { port: opts.port ?? 0 });
  if (!existsSync(opts.root) || !statSync(opts.root).isDirectory())
    throw new ViewerPathError(404, `${opts.root}: not a directory`);
  const root = realpathSync(opts.root);
  const client = opts.clientDir ?? builtClientDir();
  // Without a built client (a workspace checkout before `pnpm build`) the API still answers and
  // the page says what is missing.
  const clientRoot = client && existsSync(join(client, "index.html")) ? realpathSync(client) : null;
  const pollMs = opts.pollMs ?? 250;
  const current = opts.current;

  let hosts = new Set<string>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A page of another site that rebinds its name to 127.0.0.1 sends its own Host: refused.
    if (!hosts.has(req.headers.host ?? "")) return sendJson(res, 403, { error: "unexpected Host header" });
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { error: "GET only" });
    if (path === "/api/runs") return sendJson(res, 200, await runList(root, current));
    if (path === "/api/run")
      return sendJson(res, 200, await runDetail(root, runDir(root, param(url, "run")), current));
    if (path === "/api/array")
      return sendJson(res, 200, arrayData(runDir(root, param(url, "run")), param(url, "name")));
    if (path === "/api/sweep")
      return sendJson(res, 200, await sweepData(root, runDir(root, param(url, "dir")), current));
    if (path === "/api/live") return liveMetrics(req, res, runDir(root, param(url, "run")), pollMs);
    if (path.startsWith("/api/")) return sendJson(res, 404, { error: `no API ${path}` });
    if (path.startsWith("/files/")) {
      const rel = decodeURIComponent(path.slice("/files/".length));
      return sendFile(res, resolveInside(root, rel), true);
    }
    if (!clientRoot) {
      res.writeHead(503, { "content-type": "text/html; charset=utf-8" });
      res.end(NOT_BUILT);
      return;
    }
    const rel = path === "/" ? "index.html" : decodeURIComponent(path.slice(1));
    return sendFile(res, resolveInside(clientRoot, rel), false);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof ViewerPathError ? e.status : e instanceof URIError ? 400 : 500;
      if (!res.headersSent) sendJson(res, status, { error: (e as Error).message });
      else res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      fail(e.code === "EADDRINUSE" ? new ViewerPortError(asked) : e),
    );
    server.listen(asked, "127.0.0.1", () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
