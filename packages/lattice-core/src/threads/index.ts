// @physml/lattice-core/threads: Node-only helpers for handing work to worker threads.
export {
  RequestWorker,
  serveRequests,
  siblingModule,
  startModuleWorker,
  WorkerThreadError,
} from "./request-worker.js";
