// A worker thread that answers requests one message each, for a package that wants to hand a
// share of its work to a second core. Node only (node:worker_threads), so it is a subpath export
// (`@physml/lattice-core/threads`) and the main entry stays usable in a browser.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { parentPort, Worker } from "node:worker_threads";

/** A request that failed in the worker, or a worker that stopped with requests out. */
export class WorkerThreadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerThreadError";
  }
}

interface Envelope<T> {
  id: number;
  body?: T;
  error?: string;
}

/**
 * The URL of module `name` (without extension) beside the module at `importMetaUrl`, with the
 * caller's own extension: `.ts` when it runs from the sources (vitest, the tsx-run CLI), `.js`
 * from `dist/`.
 */
export function siblingModule(importMetaUrl: string, name: string): URL {
  return new URL(`./${name}${importMetaUrl.endsWith(".ts") ? ".ts" : ".js"}`, importMetaUrl);
}

/**
 * Starts a worker thread running `module` (from {@link siblingModule}). A compiled `.js` module runs as is. From the TypeScript
 * sources Node ignores `--import tsx` in a worker's execArgv, so a small eval'd bootstrap
 * registers tsx's ESM hooks inside the worker and then imports the module; the source export
 * condition is passed so that workspace imports resolve to sources too.
 */
export function startModuleWorker(module: URL): Worker {
  if (!module.pathname.endsWith(".ts")) return new Worker(module);
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(module.href)}); });`;
  const execArgv = process.execArgv.some((a) => a.includes("@physml/source"))
    ? process.execArgv
    : [...process.execArgv, "--conditions=@physml/source"];
  return new Worker(boot, { eval: true, execArgv });
}

/**
 * One worker thread serving the requests of {@link serveRequests} in `module`, started on the
 * first request. Requests are answered in the order sent. An idle worker never keeps the process
 * alive; a failed request rejects with a {@link WorkerThreadError} carrying the worker's stack,
 * and a worker that dies rejects every request it has out (the next request starts a new one).
 */
export class RequestWorker<Req, Rep> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: Rep) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(private readonly module: URL) {}

  private started(): Worker {
    if (this.worker) return this.worker;
    const w = startModuleWorker(this.module);
    w.unref();
    w.on("message", (m: Envelope<Rep>) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      if (m.error !== undefined) p.reject(new WorkerThreadError(`worker request failed: ${m.error}`));
      else p.resolve(m.body as Rep);
    });
    const stop = (why: string) => {
      if (this.worker === w) this.worker = null;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new WorkerThreadError(why));
      }
    };
    w.on("error", (e) => stop(`worker failed: ${e.stack ?? e.message}`));
    w.on("exit", (code) => stop(`worker stopped (exit code ${code}) with a request out`));
    this.worker = w;
    return w;
  }

  /** Sends `body` (the `transfer` buffers move to the worker) and resolves with the reply. */
  request(body: Req, transfer: ArrayBuffer[] = []): Promise<Rep> {
    const w = this.started();
    const id = this.nextId++;
    return new Promise<Rep>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.ref(); // a request out keeps the process alive
      w.postMessage({ id, body } satisfies Envelope<Req>, transfer);
    });
  }

  /** Stops the worker (requests still out reject). */
  async terminate(): Promise<void> {
    const w = this.worker;
    if (w) await w.terminate();
    this.worker = null;
  }
}

/**
 * Inside a worker started by {@link RequestWorker}: answers every request with `handle`'s value
 * (its `transfer` buffers moved back, not copied), or with the error it throws.
 */
export function serveRequests<Req, Rep>(
  handle: (req: Req) => Rep | Promise<Rep>,
  transferOf: (rep: Rep) => ArrayBuffer[] = () => [],
): void {
  const port = parentPort;
  if (!port) throw new WorkerThreadError("serveRequests: not inside a worker thread");
  // Requests are answered one after the other, in the order they came.
  let queue: Promise<void> = Promise.resolve();
  port.on("message", (m: Envelope<Req>) => {
    queue = queue.then(async () => {
      try {
        const body = await handle(m.body as Req);
        port.postMessage({ id: m.id, body } satisfies Envelope<Rep>, transferOf(body));
      } catch (e) {
        port.postMessage({ id: m.id, error: (e as Error).stack ?? String(e) } satisfies Envelope<Rep>);
      }
    });
  });
}
