import { DeploysloError } from "../core/primitives/error-codes.js";
import type { LocatedValue } from "./parse-batch.js";

const MAX_PROBLEMS = 100;
const NEWLINE = 0x0a;

/**
 * The values of an NDJSON text, one per non-blank line, each named `line N`. A line that is
 * not JSON rejects the whole text, listing up to 100 such lines, so nothing is half-stored.
 */
export function parseNdjsonValues(text: string): LocatedValue[] {
  const values: LocatedValue[] = [];
  const lines = new NdjsonLines((value, line) => values.push({ where: `line ${line}`, value }));
  const texts = text.split("\n");
  for (let i = 0; i < texts.length; i++) lines.add(texts[i] ?? "", i + 1);
  lines.done();
  return values;
}

/**
 * Calls `visit` with the value of each non-blank line of UTF-8 NDJSON bytes and its line
 * number, then throws as parseNdjsonValues does when a line was not JSON. Lines are decoded
 * one at a time: a string of the whole body (megabytes) is too large for V8's young generation
 * and costs more to make than parsing it, and UTF-8 uses the newline byte for nothing else.
 */
export function forEachNdjsonValue(
  bytes: Uint8Array,
  visit: (value: unknown, line: number) => void,
): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lines = new NdjsonLines(visit);
  let start = 0;
  for (let n = 1; start <= buffer.length; n++) {
    let end = buffer.indexOf(NEWLINE, start);
    if (end === -1) end = buffer.length;
    lines.add(buffer.toString("utf8", start, end), n);
    start = end + 1;
  }
  lines.done();
}

class NdjsonLines {
  readonly #problems: string[] = [];

  constructor(readonly visit: (value: unknown, line: number) => void) {}

  add(text: string, lineNumber: number): void {
    const line = text.trim();
    if (line === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (this.#problems.length < MAX_PROBLEMS) {
        this.#problems.push(`line ${lineNumber}: invalid JSON: ${(error as Error).message}`);
      }
      return;
    }
    this.visit(value, lineNumber);
  }

  done(): void {
    if (this.#problems.length > 0) {
      throw new DeploysloError(
        "INVALID_REQUEST",
        "the NDJSON body has lines that are not JSON; nothing was stored",
        this.#problems,
      );
    }
  }
}
