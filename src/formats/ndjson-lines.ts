const MAX_REASON_LENGTH = 200;

/** JSON.parse's message, shortened, with "at position N" turned into a 1-based column. */
function jsonReason(error: unknown): string {
  let reason = error instanceof Error ? error.message : String(error);
  reason = reason.replace(
    /\bat position (\d+)(?: \(line \d+ column \d+\))?/,
    (_match, position: string) => `at column ${Number(position) + 1}`,
  );
  return reason.length > MAX_REASON_LENGTH
    ? `${reason.slice(0, MAX_REASON_LENGTH - 3)}...`
    : reason;
}

/** True when `text` holds only whitespace (a blank line). */
function isBlank(text: string): boolean {
  const first = text.charCodeAt(0);
  // Fast path: a line starting with a non-space character is never blank.
  if (first > 0x20 && first !== 0xa0 && first < 0x1680) return false;
  return text.trim() === "";
}

/**
 * The one NDJSON splitter: fed text in pieces, it calls `onValue` with each line's JSON value
 * and `onError` with `invalid JSON: <reason>` for a line that is not JSON, both with the
 * 1-based line number. Lines may span pieces; `\r\n` and `\n` both end a line; blank
 * (whitespace-only) lines are skipped but counted; a BOM at the very start is dropped; a last
 * line without a trailing newline is read by `end`. What to do with a bad line (go on, or
 * reject everything) is the caller's choice.
 */
export class NdjsonLines {
  readonly #onValue: (value: unknown, line: number) => void;
  readonly #onError: (message: string, line: number) => void;
  #atStart = true;
  #line = 1;
  /** Pieces of the line in progress (text after the last newline seen). */
  #pending: string[] = [];

  constructor(
    onValue: (value: unknown, line: number) => void,
    onError: (message: string, line: number) => void,
  ) {
    this.#onValue = onValue;
    this.#onError = onError;
  }

  /** Reads every line that `chunk` completes; keeps the unfinished last one. */
  push(chunk: string): void {
    if (chunk.length === 0) return;
    if (this.#atStart) {
      this.#atStart = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let newline = chunk.indexOf("\n");
    if (newline === -1) {
      if (chunk.length > 0) this.#pending.push(chunk);
      return;
    }
    if (this.#pending.length > 0) {
      this.#pending.push(chunk.slice(0, newline));
      this.#read(this.#pending.join(""));
      this.#pending = [];
    } else {
      this.#read(chunk.slice(0, newline));
    }
    let start = newline + 1;
    newline = chunk.indexOf("\n", start);
    while (newline !== -1) {
      this.#read(chunk.slice(start, newline));
      start = newline + 1;
      newline = chunk.indexOf("\n", start);
    }
    if (start < chunk.length) this.#pending.push(chunk.slice(start));
  }

  /** Reads the last line when the text does not end with a newline. */
  end(): void {
    if (this.#pending.length === 0) return;
    const last = this.#pending.join("");
    this.#pending = [];
    this.#read(last);
  }

  #read(text: string): void {
    const line = this.#line++;
    if (text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
    if (text.length === 0 || isBlank(text)) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.#onError(`invalid JSON: ${jsonReason(error)}`, line);
      return;
    }
    this.#onValue(value, line);
  }
}
