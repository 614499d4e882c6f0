/**
 * `text` on one line: line breaks (with the spaces around them) become one space. An input
 * error's message quoting a file's text (JSON.parse's messages do) would otherwise break, and a
 * command line shows only an error's first line.
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}

/**
 * Typed errors for bad input. Every message names the offending field and the allowed range,
 * so a physicist can fix the call without reading the source.
 */
export class PhysmlInputError extends Error {
  /** The name of the offending field, e.g. `"Lx"` or `"couplings.nn"`. */
  readonly field: string;
  /** A human-readable description of what is allowed, e.g. `"even integer >= 2"`. */
  readonly allowed: string;
  /** The value that was received. */
  readonly received: unknown;
  /** Why the value was refused, when the range alone does not say (shown in brackets). */
  readonly detail?: string;

  constructor(field: string, allowed: string, received: unknown, detail?: string) {
    const shown =
      typeof received === "number" || typeof received === "string" ? String(received) : typeof received;
    super(oneLine(`${field}: expected ${allowed}, got ${shown}${detail ? ` (${detail})` : ""}`));
    this.name = "PhysmlInputError";
    this.field = field;
    this.allowed = allowed;
    this.received = received;
    if (detail !== undefined) this.detail = detail;
  }
}

/**
 * A bad value of an environment variable (`PHYSML_BACKEND=bogus`, `PHYSML_THREADS=0`): an input
 * error like a bad flag, whose field names the variable as such, e.g. `PHYSML_BACKEND
 * (environment variable): expected one of auto|cpu|webgpu, got bogus`. It is a
 * {@link PhysmlInputError}, so every caller that refuses bad input (exit 2) refuses it too; a
 * command that restates input errors as flags (`--field: …`) can tell it apart by `instanceof`.
 */
export class EnvironmentVariableError extends PhysmlInputError {
  /** The variable, e.g. `"PHYSML_BACKEND"`. */
  readonly variable: string;

  constructor(variable: string, allowed: string, received: string) {
    super(`${variable} (environment variable)`, allowed, received);
    // A variable set to nothing (`PHYSML_BACKEND=`) shows as "" rather than as a blank.
    if (received === "") this.message = `${this.field}: expected ${allowed}, got ""`;
    this.name = "EnvironmentVariableError";
    this.variable = variable;
  }
}

/** Throws unless `value` is an integer in `[min, max]`. */
export function checkInt(field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PhysmlInputError(field, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

/** Throws unless `value` is a finite number (never NaN or ±Infinity). */
export function checkFinite(field: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new PhysmlInputError(field, "a finite number", value);
  }
  return value;
}

/** Throws unless `value` is an even integer >= `min`. */
export function checkEven(field: string, value: number, min = 2): number {
  if (!Number.isInteger(value) || value < min || value % 2 !== 0) {
    throw new PhysmlInputError(field, `an even integer >= ${min}`, value);
  }
  return value;
}
