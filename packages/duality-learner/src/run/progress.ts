// A one-line progress bar on stderr: step, loss, t0 and ETA. On a terminal it redraws in place;
// otherwise (logs, CI) it prints a line at most every few seconds.

/** What the bar shows after each step. */
export interface ProgressState {
  step: number;
  total: number;
  loss: number;
  t0: number;
  label?: string;
}

function clock(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "--:--";
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, "0")}`;
}

/** Formats one progress line (no newline). */
export function formatProgress(p: ProgressState, elapsedMs: number, width = 20, firstStep = 0): string {
  const frac = p.total > 0 ? Math.min(1, p.step / p.total) : 1;
  const fill = Math.round(frac * width);
  const done = p.step - firstStep;
  const eta = done > 0 ? (elapsedMs / done) * (p.total - p.step) : Number.NaN;
  const bar = `[${"#".repeat(fill)}${".".repeat(width - fill)}]`;
  const head = p.label ? `${p.label} ` : "";
  return `${head}${bar} step ${p.step}/${p.total}  loss ${p.loss.toExponential(2)}  t0 ${p.t0.toFixed(4)}  ETA ${clock(eta)}`;
}

/** A progress reporter writing to `write`; `tty` selects in-place redraw. */
export function progressBar(
  write: (s: string) => void,
  tty: boolean,
  intervalMs = tty ? 100 : 5000,
): { update(p: ProgressState): void; done(): void } {
  // The clock starts at the first update, so set-up time (target sampling) does not skew the ETA.
  let start = -1;
  let first = 0;
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (start < 0) {
        start = now;
        first = p.step;
      }
      if (now - last < intervalMs && p.step < p.total) return;
      last = now;
      const line = formatProgress(p, now - start, 20, first);
      if (tty) {
        write(`\r${line}\u001b[K`);
        drawn = true;
      } else write(`${line}\n`);
    },
    done() {
      if (drawn) write("\n");
      drawn = false;
    },
  };
}
