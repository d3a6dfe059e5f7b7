import { DeploysloError } from "../core/primitives/error-codes.js";
import { NdjsonLines } from "../formats/ndjson-lines.js";
import type { LocatedValue } from "./parse-batch.js";

const MAX_PROBLEMS = 100;
const NEWLINE = 0x0a;
/** Bytes decoded to text at a time (cut at a newline): see forEachNdjsonValue. */
const PIECE_BYTES = 64 * 1024;

/**
 * The values of an NDJSON text, one per non-blank line, each named `line N`. A line that is
 * not JSON rejects the whole text, listing up to 100 such lines, so nothing is half-stored.
 */
export function parseNdjsonValues(text: string): LocatedValue[] {
  const values: LocatedValue[] = [];
  const problems = new BodyProblems();
  const lines = new NdjsonLines(
    (value, line) => values.push({ where: `line ${line}`, value }),
    problems.add,
  );
  lines.push(text);
  lines.end();
  problems.throwAny();
  return values;
}

/**
 * Calls `visit` with the value of each non-blank line of UTF-8 NDJSON bytes and its line
 * number, then throws as parseNdjsonValues does when a line was not JSON. The bytes are
 * decoded a piece at a time: a string of the whole body (megabytes) is too large for V8's
 * young generation and costs more to make than parsing it. Pieces end at a newline byte,
 * which UTF-8 uses for nothing else, so no character is cut in two.
 */
export function forEachNdjsonValue(
  bytes: Uint8Array,
  visit: (value: unknown, line: number) => void,
): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const problems = new BodyProblems();
  const lines = new NdjsonLines(visit, problems.add);
  let start = 0;
  while (start < buffer.length) {
    let end = buffer.length;
    if (start + PIECE_BYTES < buffer.length) {
      const cut = buffer.lastIndexOf(NEWLINE, start + PIECE_BYTES);
      const next = cut >= start ? cut : buffer.indexOf(NEWLINE, start + PIECE_BYTES);
      if (next !== -1) end = next + 1;
    }
    lines.push(buffer.toString("utf8", start, end));
    start = end;
  }
  lines.end();
  problems.throwAny();
}

/** The lines of a request body that were not JSON: up to 100 are listed. */
class BodyProblems {
  readonly #problems: string[] = [];

  readonly add = (message: string, line: number): void => {
    if (this.#problems.length < MAX_PROBLEMS) this.#problems.push(`line ${line}: ${message}`);
  };

  throwAny(): void {
    if (this.#problems.length > 0) {
      throw new DeploysloError(
        "INVALID_REQUEST",
        "the NDJSON body has lines that are not JSON; nothing was stored",
        this.#problems,
      );
    }
  }
}
