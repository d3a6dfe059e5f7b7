import type { RawRecord } from "./raw-record.js";

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
 * Reads newline-delimited JSON: one JSON value per line. Yields one non-empty batch per input
 * chunk that completes at least one line. Lines may span chunk boundaries; `\r\n` and `\n` both
 * end a line; blank (whitespace-only) lines are skipped but counted; a BOM at the very start is
 * dropped; a last line without a trailing newline is read. A line that is not valid JSON gives an
 * error record (`invalid JSON: <reason>`) and reading goes on with the next line. Any JSON value
 * is returned as is: checking that it is an object is the validator's job.
 */
export async function* readNdjson(chunks: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  let atStart = true;
  let line = 1;
  // Pieces of the line in progress (text after the last newline seen).
  let pending: string[] = [];

  const readLine = (text: string, lineNo: number, batch: RawRecord[]): void => {
    if (text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
    if (text.length === 0 || isBlank(text)) return;
    try {
      batch.push({ kind: "record", line: lineNo, value: JSON.parse(text) });
    } catch (error) {
      batch.push({ kind: "error", line: lineNo, message: `invalid JSON: ${jsonReason(error)}` });
    }
  };

  for await (let chunk of chunks) {
    if (chunk.length === 0) continue;
    if (atStart) {
      atStart = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let newline = chunk.indexOf("\n");
    if (newline === -1) {
      if (chunk.length > 0) pending.push(chunk);
      continue;
    }
    const batch: RawRecord[] = [];
    let first: string;
    if (pending.length > 0) {
      pending.push(chunk.slice(0, newline));
      first = pending.join("");
      pending = [];
    } else {
      first = chunk.slice(0, newline);
    }
    readLine(first, line++, batch);
    let start = newline + 1;
    newline = chunk.indexOf("\n", start);
    while (newline !== -1) {
      readLine(chunk.slice(start, newline), line++, batch);
      start = newline + 1;
      newline = chunk.indexOf("\n", start);
    }
    if (start < chunk.length) pending.push(chunk.slice(start));
    if (batch.length > 0) yield batch;
  }
  if (pending.length > 0) {
    const batch: RawRecord[] = [];
    readLine(pending.join(""), line, batch);
    if (batch.length > 0) yield batch;
  }
}
