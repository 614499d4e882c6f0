// The errors a run directory raises. Each is a PhysmlInputError (so a CLI reports it as one line
// with exit code 2) naming the field — usually the run directory — and the way out.
import { PhysmlInputError } from "@physml/lattice-core";
import { aRunOf } from "./dir/run-kind.js";

/** A run directory that cannot be used as asked: occupied, locked, unreadable or mismatched. */
export class RunDirError extends PhysmlInputError {
  constructor(field: string, allowed: string, received: unknown, detail?: string) {
    super(field, allowed, received, detail);
    this.name = "RunDirError";
  }
}

/** A new run into a directory that already holds one (neither resume nor force asked). */
export class RunExistsError extends RunDirError {
  /** `field`: the option that named the directory (default `out`). */
  constructor(dir: string, state: "finished" | "unfinished", field = "out") {
    super(
      field,
      "an empty or new directory (pass --resume to continue the run there, or --force to archive it and start anew)",
      dir,
      `it holds ${aRunOf(state)}`,
    );
    this.name = "RunExistsError";
  }
}

/** Another live process holds the run's lock. */
export class RunLockedError extends RunDirError {
  readonly holder: { pid: number; host: string; startedAt?: string };
  /** `field`: the option that named the directory (default `out`). */
  constructor(
    dir: string,
    holder: { pid: number; host: string; startedAt?: string },
    hint: string,
    field = "out",
  ) {
    super(
      field,
      "a run directory no other process is writing",
      dir,
      `locked by pid ${holder.pid} on host ${holder.host}${holder.startedAt ? ` since ${holder.startedAt}` : ""}; ${hint}`,
    );
    this.name = "RunLockedError";
    this.holder = holder;
  }
}

/** `--resume` with a configuration that differs from the stored one. */
export class ConfigMismatchError extends RunDirError {
  readonly differences: ConfigDifference[];
  constructor(dir: string, differences: ConfigDifference[]) {
    const list = differences
      .map((d) => `${d.path} ${JSON.stringify(d.stored)} → ${JSON.stringify(d.given)}`)
      .join(", ");
    super(
      "resume",
      "the configuration stored in the run (drop the differing flags, or start anew with --force)",
      dir,
      `differs in ${list}`,
    );
    this.name = "ConfigMismatchError";
    this.differences = differences;
  }
}

/** Every checkpoint of a run is unreadable. */
export class CheckpointError extends RunDirError {
  constructor(dir: string, detail: string) {
    super("checkpoint", "a readable checkpoint (or start anew with --force)", dir, detail);
    this.name = "CheckpointError";
  }
}

/** One field where a given configuration differs from the stored one. */
export interface ConfigDifference {
  /** Dotted path, e.g. `optimizer.steps`. */
  path: string;
  stored: unknown;
  given: unknown;
}
