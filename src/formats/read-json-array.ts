import type { RawRecord } from "./raw-record.js";

const MAX_REASON_LENGTH = 200;

const NOT_AN_ARRAY = "expected a JSON array ([...]) or one JSON object per line";

// Scanner states.
/** Before the opening `[`. */
const BEFORE = 0;
/** After `[` or a `,`: expecting an element (or `]`). */
const BETWEEN = 1;
/** Inside an element. */
const ELEMENT = 2;
/** After the closing `]`: only whitespace may follow. */
const AFTER = 3;

const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NEWLINE = 0x0a;

// Character classes for the element scanner (ASCII only; everything else is class 0).
const C_QUOTE = 1;
const C_OPEN = 2;
const C_CLOSE_BRACE = 3;
const C_CLOSE_BRACKET = 4;
const C_COMMA = 5;
const C_NEWLINE = 6;
const CHAR_CLASS = new Uint8Array(128);
CHAR_CLASS[QUOTE] = C_QUOTE;
CHAR_CLASS[OPEN_BRACE] = C_OPEN;
CHAR_CLASS[OPEN_BRACKET] = C_OPEN;
CHAR_CLASS[CLOSE_BRACE] = C_CLOSE_BRACE;
CHAR_CLASS[CLOSE_BRACKET] = C_CLOSE_BRACKET;
CHAR_CLASS[COMMA] = C_COMMA;
CHAR_CLASS[NEWLINE] = C_NEWLINE;

/** `text.indexOf(search, from)`, or `text.length` when not found. */
function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index === -1 ? text.length : index;
}

function isJsonWhitespace(c: number): boolean {
  return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
}

/**
 * JSON.parse's message for an element, shortened, with "at position N" (relative to the
 * element's text) turned into the absolute line and column in the file.
 */
function elementReason(error: unknown, text: string, line: number, column: number): string {
  let reason = error instanceof Error ? error.message : String(error);
  reason = reason.replace(
    /\bat position (\d+)(?: \(line \d+ column \d+\))?/,
    (_match, position: string) => {
      const offset = Math.min(Number(position), text.length);
      let errorLine = line;
      let lastNewline = -1;
      for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
        errorLine++;
        lastNewline = i;
      }
      const errorColumn = lastNewline === -1 ? column + offset : offset - lastNewline;
      return `at line ${errorLine} column ${errorColumn}`;
    },
  );
  return reason.length > MAX_REASON_LENGTH
    ? `${reason.slice(0, MAX_REASON_LENGTH - 3)}...`
    : reason;
}

/** Number of line breaks in `text` before its trailing whitespace. */
function contentNewlines(text: string): number {
  const content = text.trimEnd();
  let count = 0;
  for (let i = content.indexOf("\n"); i !== -1; i = content.indexOf("\n", i + 1)) count++;
  return count;
}

/** The scanner's state across chunks; `read` takes one chunk, `finish` the end of input. */
class JsonArrayScanner {
  state = BEFORE;
  /** Current line (1-based). */
  line = 1;
  /** Characters in the chunks before the current one. */
  base = 0;
  /** Absolute offset of the first character of the current line. */
  lineStart = 0;
  /** Line of the last `[` or `,` read. */
  tokenLine = 1;
  /** True when the last token read was a `,` (so `]` now means a trailing comma). */
  afterComma = false;

  // The element in progress.
  depth = 0;
  /** The opening bracket at each depth of the element in progress, for `openers[0, depth)`. */
  readonly openers: number[] = [];
  inString = false;
  escapePending = false;
  elementLine = 0;
  elementColumn = 0;
  parts: string[] = [];

  // The chunk being read.
  chunk = "";
  i = 0;
  /** Start of the element in progress within this chunk. */
  elementStart = 0;
  // Cached positions (or the chunk's length) of the next `"`, `\\` and newline, for strings.
  nextQuote = -1;
  nextBackslash = -1;
  nextNewline = -1;

  /** Reads one chunk into `batch`; false when reading must stop. */
  read(chunk: string, batch: RawRecord[]): boolean {
    this.chunk = chunk;
    this.i = 0;
    this.elementStart = 0;
    this.nextQuote = -1;
    this.nextBackslash = -1;
    this.nextNewline = -1;
    const n = chunk.length;
    let stop = false;
    while (this.i < n) {
      if (this.state === ELEMENT) {
        if (!this.element(batch)) break; // The element goes on in the next chunk.
        continue;
      }
      if (!this.outside(batch)) {
        stop = true;
        break;
      }
    }
    if (!stop && this.state === ELEMENT) this.parts.push(chunk.slice(this.elementStart));
    this.base += n;
    return !stop;
  }

  /**
   * The depth after a closing bracket: the innermost matching opener is closed, with any
   * unclosed brackets inside it. A bracket left open (`{"a": [1, 2}`) would otherwise keep the
   * scanner inside this element to the end of the file, losing every later element; closing it
   * here lets the bad element end at its own `,` and the next one be read.
   */
  closeTo(opener: number, from: number): number {
    const at = from > 0 ? this.openers.lastIndexOf(opener, from - 1) : -1;
    return at === -1 ? from : at;
  }

  /** Counts the newlines in chunk[from, to). */
  countNewlines(from: number, to: number): void {
    const text = this.chunk;
    if (this.nextNewline < from) this.nextNewline = indexOrEnd(text, "\n", from);
    while (this.nextNewline < to) {
      this.line++;
      this.lineStart = this.base + this.nextNewline + 1;
      this.nextNewline = indexOrEnd(text, "\n", this.nextNewline + 1);
    }
  }

  /** Inside a string: jumps to the closing quote with indexOf, stepping over escapes. */
  skipString(): void {
    const chunk = this.chunk;
    const n = chunk.length;
    const i = this.i;
    if (this.nextQuote < i) this.nextQuote = indexOrEnd(chunk, '"', i);
    if (this.nextBackslash < i) this.nextBackslash = indexOrEnd(chunk, "\\", i);
    if (this.nextBackslash < this.nextQuote) {
      // Raw newlines are invalid in strings, but they still break lines.
      this.countNewlines(i, this.nextBackslash);
      if (this.nextBackslash + 1 >= n) {
        this.escapePending = true;
        this.i = n;
      } else {
        this.countNewlines(this.nextBackslash + 1, this.nextBackslash + 2);
        this.i = this.nextBackslash + 2;
      }
      return;
    }
    this.countNewlines(i, this.nextQuote);
    if (this.nextQuote >= n) this.i = n;
    else {
      this.i = this.nextQuote + 1;
      this.inString = false;
    }
  }

  /**
   * Scans the element for a `,` or `]` at depth 0 outside strings: its index (and whether it
   * is the `]`), or -1 when the chunk ends first.
   */
  elementEnd(): { end: number; closesArray: boolean } {
    const chunk = this.chunk;
    const n = chunk.length;
    while (this.i < n) {
      if (this.inString) {
        this.skipString();
        continue;
      }
      const i = this.i;
      const c = chunk.charCodeAt(i);
      const kind = c < 128 ? (CHAR_CLASS[c] as number) : 0;
      this.i = i + 1;
      if (kind === 0) continue;
      if (kind === C_QUOTE) this.inString = true;
      else if (kind === C_OPEN) this.openers[this.depth++] = c;
      else if (kind === C_CLOSE_BRACE) this.depth = this.closeTo(OPEN_BRACE, this.depth);
      else if (kind === C_CLOSE_BRACKET) {
        const closed = this.closeTo(OPEN_BRACKET, this.depth);
        if (closed === this.depth) return { end: i, closesArray: true };
        this.depth = closed;
      } else if (kind === C_COMMA) {
        if (this.depth === 0) return { end: i, closesArray: false };
      } else {
        this.line++;
        this.lineStart = this.base + i + 1;
      }
    }
    return { end: -1, closesArray: false };
  }

  /** Reads on in the element; false when it goes on in the next chunk. */
  element(batch: RawRecord[]): boolean {
    const chunk = this.chunk;
    if (this.escapePending) {
      // The previous chunk ended with a backslash inside a string: skip the escaped char.
      this.escapePending = false;
      if (chunk.charCodeAt(this.i) === NEWLINE) {
        this.line++;
        this.lineStart = this.base + this.i + 1;
      }
      this.i++;
    }
    const { end, closesArray } = this.elementEnd();
    if (end === -1) return false;
    let text: string;
    if (this.parts.length > 0) {
      this.parts.push(chunk.slice(this.elementStart, end));
      text = this.parts.join("");
      this.parts = [];
    } else text = chunk.slice(this.elementStart, end);
    this.finishElement(text, batch);
    this.i = end + 1;
    if (closesArray) this.state = AFTER;
    else {
      this.state = BETWEEN;
      this.afterComma = true;
      this.tokenLine = this.line;
    }
    return true;
  }

  finishElement(text: string, batch: RawRecord[]): void {
    try {
      batch.push({ kind: "record", line: this.elementLine, value: JSON.parse(text) });
    } catch (error) {
      const reason = elementReason(error, text, this.elementLine, this.elementColumn);
      batch.push({ kind: "error", line: this.elementLine, message: `invalid JSON: ${reason}` });
    }
  }

  /** Outside elements: skips whitespace, then reads one token; false when reading must stop. */
  outside(batch: RawRecord[]): boolean {
    const i = this.i;
    const c = this.chunk.charCodeAt(i);
    const line = this.line;
    if (c === NEWLINE) {
      this.line++;
      this.lineStart = this.base + i + 1;
      this.i++;
      return true;
    }
    if (isJsonWhitespace(c)) {
      this.i++;
      return true;
    }
    if (this.state === BEFORE) {
      if (c !== OPEN_BRACKET) {
        batch.push({ kind: "error", line, message: NOT_AN_ARRAY });
        return false;
      }
      this.state = BETWEEN;
      this.afterComma = false;
      this.tokenLine = line;
      this.i++;
      return true;
    }
    if (this.state !== BETWEEN) {
      batch.push({
        kind: "error",
        line,
        message: "unexpected text after the end of the JSON array",
      });
      return false;
    }
    if (c === CLOSE_BRACKET) {
      if (this.afterComma)
        batch.push({ kind: "error", line, message: "invalid JSON: trailing comma before ]" });
      this.state = AFTER;
      this.i++;
    } else if (c === COMMA) {
      batch.push({
        kind: "error",
        line,
        message: "invalid JSON: empty array element (two commas in a row?)",
      });
      this.afterComma = true;
      this.tokenLine = line;
      this.i++;
    } else {
      this.state = ELEMENT;
      this.depth = 0;
      this.inString = false;
      this.escapePending = false;
      this.elementStart = i;
      this.elementLine = line;
      this.elementColumn = this.base + i - this.lineStart + 1;
    }
    return true;
  }

  /** What the end of input means: an unclosed array, or an unfinished last element. */
  finish(): RawRecord[] {
    const batch: RawRecord[] = [];
    if (this.state === BETWEEN) {
      batch.push({
        kind: "error",
        line: this.tokenLine,
        message: "unexpected end of input: the JSON array is not closed with ]",
      });
    } else if (this.state === ELEMENT) {
      const text = this.parts.join("");
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        const reason = elementReason(error, text, this.elementLine, this.elementColumn);
        batch.push({
          kind: "error",
          line: this.elementLine,
          message: `unexpected end of input: unterminated array element (invalid JSON: ${reason})`,
        });
        return batch;
      }
      batch.push({ kind: "record", line: this.elementLine, value });
      batch.push({
        kind: "error",
        line: this.elementLine + contentNewlines(text),
        message: "unexpected end of input: the JSON array is not closed with ]",
      });
    }
    return batch;
  }
}

/**
 * Reads a file holding one JSON array, streaming: a small scanner finds each top-level
 * element's text (across chunk boundaries), which is then JSON.parse'd, so each record carries
 * the line its element starts on. Yields one non-empty batch per input chunk that completes at
 * least one element (or produces an error).
 *
 * Errors (as error records):
 * - the first non-whitespace character is not `[`: one error at its line, then reading stops;
 * - an element that is not valid JSON, an empty element (`[1,,2]`) or a trailing comma: an error
 *   at the element's line, and reading goes on with the next element (an element runs up to the
 *   next `,` or `]` outside strings and brackets; a closing bracket also closes any bracket left
 *   open inside the one it matches, so that `{"a": [1}` ends there);
 * - text after the closing `]`: an error at that line, then reading stops;
 * - the input ends inside the array: an error (at the start line of an unfinished element, or at
 *   the last line with content when the last element is complete but `]` is missing).
 *
 * A BOM at the very start is dropped. Empty input (or only whitespace) and `[]` yield nothing.
 */
export async function* readJsonArray(chunks: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  const scanner = new JsonArrayScanner();
  let atStart = true;
  for await (let chunk of chunks) {
    if (chunk.length === 0) continue;
    if (atStart) {
      atStart = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const batch: RawRecord[] = [];
    const goOn = scanner.read(chunk, batch);
    if (batch.length > 0) yield batch;
    if (!goOn) return;
  }
  const batch = scanner.finish();
  if (batch.length > 0) yield batch;
}
