// Progress on stderr through cli-progress: a bar redrawn in place on a terminal; nothing at all
// when stderr is not a terminal (logs, CI, pipes) or with --quiet. Log lines go above the bar.
import { MultiBar, type SingleBar } from "cli-progress";

/** A progress display for one loop of `total` steps. */
export interface Progress {
  /** Shows `step` of `total` done, with short named values (e.g. loss, t0). */
  update(step: number, total: number, values?: Record<string, string>): void;
  /** A line of text for the user (printed above the bar; suppressed when quiet). */
  log(msg: string): void;
  /** Removes the bar, leaving the final line. */
  stop(): void;
  /** Whether a bar is drawn. */
  readonly drawing: boolean;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** The stream the bar draws on; it is drawn only when this is a TTY. */
  stream?: NodeJS.WriteStream;
  /** Where log lines go when no bar is drawn (defaults to the stream). */
  write?: (s: string) => void;
  /** No bar and no log lines. */
  quiet?: boolean;
  /** A prefix, e.g. the point of a sweep. */
  label?: () => string;
}

/** A {@link Progress} on `stream` (default process.stderr). */
export function createProgress(opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const write = opts.write ?? ((s: string) => stream.write(s));
  const drawing = !opts.quiet && Boolean(stream.isTTY);
  let multi: MultiBar | null = null;
  let bar: SingleBar | null = null;
  const payload = (values: Record<string, string> = {}) => ({
    label: opts.label ? `${opts.label()} ` : "",
    values: Object.entries(values)
      .map(([k, v]) => `${k} ${v}`)
      .join("  "),
  });
  return {
    drawing,
    update(step, total, values) {
      if (!drawing) return;
      if (!multi) {
        multi = new MultiBar({
          stream,
          format: "{label}[{bar}] step {value}/{total}  {values}  ETA {eta_formatted}",
          barCompleteChar: "#",
          barIncompleteChar: ".",
          barsize: 20,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
        });
      }
      if (!bar) bar = multi.create(total, step, payload(values));
      bar.setTotal(total);
      bar.update(step, payload(values));
    },
    log(msg) {
      if (opts.quiet) return;
      if (multi) multi.log(`${msg}\n`);
      else write(`${msg}\n`);
    },
    stop() {
      multi?.stop();
      multi = null;
      bar = null;
    },
  };
}
