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
  let atStart = true;
  let state = BEFORE;
  /** Current line (1-based). */
  let line = 1;
  /** Characters in the chunks before the current one. */
  let base = 0;
  /** Absolute offset of the first character of the current line. */
  let lineStart = 0;
  /** Line of the last `[` or `,` read. */
  let tokenLine = 1;
  /** True when the last token read was a `,` (so `]` now means a trailing comma). */
  let afterComma = false;

  // The element in progress.
  let depth = 0;
  /** The opening bracket at each depth of the element in progress, for `openers[0, depth)`. */
  const openers: number[] = [];
  /**
   * The depth after a closing bracket: the innermost matching opener is closed, with any
   * unclosed brackets inside it. A bracket left open (`{"a": [1, 2}`) would otherwise keep the
   * scanner inside this element to the end of the file, losing every later element; closing it
   * here lets the bad element end at its own `,` and the next one be read.
   */
  const closeTo = (opener: number, from: number): number => {
    const at = from > 0 ? openers.lastIndexOf(opener, from - 1) : -1;
    return at === -1 ? from : at;
  };
  let inString = false;
  let escapePending = false;
  let elementLine = 0;
  let elementColumn = 0;
  let parts: string[] = [];

  const finishElement = (text: string, batch: RawRecord[]): void => {
    try {
      batch.push({ kind: "record", line: elementLine, value: JSON.parse(text) });
    } catch (error) {
      const reason = elementReason(error, text, elementLine, elementColumn);
      batch.push({ kind: "error", line: elementLine, message: `invalid JSON: ${reason}` });
    }
  };

  for await (let chunk of chunks) {
    if (chunk.length === 0) continue;
    if (atStart) {
      atStart = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const batch: RawRecord[] = [];
    const n = chunk.length;
    let i = 0;
    /** Start of the element in progress within this chunk. */
    let elementStart = 0;
    let stop = false;
    // Cached positions (or `n`) of the next `"`, `\\` and newline, for scanning strings.
    let nextQuote = -1;
    let nextBackslash = -1;
    let nextNewline = -1;
    /** Counts the newlines in chunk[from, to). */
    const countNewlines = (text: string, from: number, to: number): void => {
      if (nextNewline < from) nextNewline = indexOrEnd(text, "\n", from);
      while (nextNewline < to) {
        line++;
        lineStart = base + nextNewline + 1;
        nextNewline = indexOrEnd(text, "\n", nextNewline + 1);
      }
    };

    while (i < n) {
      if (state === ELEMENT) {
        // Scan the element until a `,` or `]` at depth 0 outside strings.
        let end = -1;
        let closesArray = false;
        if (escapePending) {
          // The previous chunk ended with a backslash inside a string: skip the escaped char.
          escapePending = false;
          if (chunk.charCodeAt(i) === NEWLINE) {
            line++;
            lineStart = base + i + 1;
          }
          i++;
        }
        while (i < n) {
          if (inString) {
            // Jump to the closing quote with indexOf, stepping over escapes and counting raw
            // (invalid, but line-breaking) newlines.
            if (nextQuote < i) nextQuote = indexOrEnd(chunk, '"', i);
            if (nextBackslash < i) nextBackslash = indexOrEnd(chunk, "\\", i);
            if (nextBackslash < nextQuote) {
              countNewlines(chunk, i, nextBackslash);
              if (nextBackslash + 1 >= n) {
                escapePending = true;
                i = n;
              } else {
                countNewlines(chunk, nextBackslash + 1, nextBackslash + 2);
                i = nextBackslash + 2;
              }
              continue;
            }
            countNewlines(chunk, i, nextQuote);
            if (nextQuote >= n) {
              i = n;
            } else {
              i = nextQuote + 1;
              inString = false;
            }
            continue;
          }
          const c = chunk.charCodeAt(i);
          const kind = c < 128 ? (CHAR_CLASS[c] as number) : 0;
          if (kind === 0) {
            i++;
            continue;
          }
          if (kind === C_QUOTE) {
            inString = true;
          } else if (kind === C_OPEN) {
            openers[depth++] = c;
          } else if (kind === C_CLOSE_BRACE) {
            depth = closeTo(OPEN_BRACE, depth);
          } else if (kind === C_CLOSE_BRACKET) {
            const closed = closeTo(OPEN_BRACKET, depth);
            if (closed < depth) {
              depth = closed;
            } else {
              end = i;
              closesArray = true;
              break;
            }
          } else if (kind === C_COMMA) {
            if (depth === 0) {
              end = i;
              break;
            }
          } else {
            line++;
            lineStart = base + i + 1;
          }
          i++;
        }
        if (end === -1) break; // The element goes on in the next chunk.
        let text: string;
        if (parts.length > 0) {
          parts.push(chunk.slice(elementStart, end));
          text = parts.join("");
          parts = [];
        } else {
          text = chunk.slice(elementStart, end);
        }
        finishElement(text, batch);
        i = end + 1;
        if (closesArray) {
          state = AFTER;
        } else {
          state = BETWEEN;
          afterComma = true;
          tokenLine = line;
        }
        continue;
      }

      // Outside elements: skip whitespace, then look at the next significant character.
      const c = chunk.charCodeAt(i);
      if (c === NEWLINE) {
        line++;
        lineStart = base + i + 1;
        i++;
        continue;
      }
      if (isJsonWhitespace(c)) {
        i++;
        continue;
      }
      if (state === BEFORE) {
        if (c !== OPEN_BRACKET) {
          batch.push({ kind: "error", line, message: NOT_AN_ARRAY });
          stop = true;
          break;
        }
        state = BETWEEN;
        afterComma = false;
        tokenLine = line;
        i++;
      } else if (state === BETWEEN) {
        if (c === CLOSE_BRACKET) {
          if (afterComma) {
            batch.push({ kind: "error", line, message: "invalid JSON: trailing comma before ]" });
          }
          state = AFTER;
          i++;
        } else if (c === COMMA) {
          batch.push({
            kind: "error",
            line,
            message: "invalid JSON: empty array element (two commas in a row?)",
          });
          afterComma = true;
          tokenLine = line;
          i++;
        } else {
          state = ELEMENT;
          depth = 0;
          inString = false;
          escapePending = false;
          elementStart = i;
          elementLine = line;
          elementColumn = base + i - lineStart + 1;
        }
      } else {
        batch.push({
          kind: "error",
          line,
          message: "unexpected text after the end of the JSON array",
        });
        stop = true;
        break;
      }
    }

    if (!stop && state === ELEMENT) parts.push(chunk.slice(elementStart));
    base += n;
    if (batch.length > 0) yield batch;
    if (stop) return;
  }

  const batch: RawRecord[] = [];
  if (state === BETWEEN) {
    batch.push({
      kind: "error",
      line: tokenLine,
      message: "unexpected end of input: the JSON array is not closed with ]",
    });
  } else if (state === ELEMENT) {
    const text = parts.join("");
    let value: unknown;
    let parsed = false;
    try {
      value = JSON.parse(text);
      parsed = true;
    } catch (error) {
      const reason = elementReason(error, text, elementLine, elementColumn);
      batch.push({
        kind: "error",
        line: elementLine,
        message: `unexpected end of input: unterminated array element (invalid JSON: ${reason})`,
      });
    }
    if (parsed) {
      batch.push({ kind: "record", line: elementLine, value });
      batch.push({
        kind: "error",
        line: elementLine + contentNewlines(text),
        message: "unexpected end of input: the JSON array is not closed with ]",
      });
    }
  }
  if (batch.length > 0) yield batch;
}
