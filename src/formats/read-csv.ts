import type { CsvError, InfoRecord } from "csv-parse/stream";
import { parse } from "csv-parse/stream";
import type { RawRecord } from "./raw-record.js";

const MAX_REASON_LENGTH = 200;

/** Said of an error that stops reading, so that the record count is not taken as the file's. */
const NOT_READ_ON = "the rest of the file was not read";

/** Columns holding JSON text, parsed into the field of the same name. */
const JSON_FIELDS: ReadonlySet<string> = new Set(["stages", "dependencies"]);

// Column kinds.
/**
 * A top-level field copied as a string: `id`, `model`, `version`, `environment`, `startedAt`,
 * `servingAt`, `endedAt`, `outcome`, and unknown columns alike (the validator rejects those).
 */
const FIELD = 0;
/** `labels.<name>` / `label.<name>`: goes into `labels`. */
const LABEL = 1;
/** JSON text parsed into a top-level field. */
const JSON_FIELD = 2;

interface Column {
  readonly kind: typeof FIELD | typeof LABEL | typeof JSON_FIELD;
  /** The field name, or for LABEL the label name. */
  readonly name: string;
}

/** Sets an own property, also when the key is `__proto__`. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

function shortReason(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return reason.length > MAX_REASON_LENGTH
    ? `${reason.slice(0, MAX_REASON_LENGTH - 3)}...`
    : reason;
}

/** Builds the column plan from the header row, or returns an error message. */
function planColumns(header: readonly string[]): Column[] | string {
  const columns: Column[] = [];
  const seen = new Set<string>();
  let hasLabels = false;
  for (const raw of header) {
    const name = raw.trim();
    let column: Column;
    if (name.startsWith("labels.")) {
      column = { kind: LABEL, name: name.slice("labels.".length) };
    } else if (name.startsWith("label.")) {
      column = { kind: LABEL, name: name.slice("label.".length) };
    } else if (JSON_FIELDS.has(name)) {
      column = { kind: JSON_FIELD, name };
    } else {
      column = { kind: FIELD, name };
    }
    if (column.kind === LABEL) hasLabels = true;
    // Columns without a name (e.g. from trailing commas) may repeat.
    if (name !== "") {
      const key = column.kind === LABEL ? `labels.${column.name}` : column.name;
      if (seen.has(key)) {
        return column.kind === LABEL
          ? `duplicate column for label "${column.name}" in the CSV header`
          : `duplicate column "${name}" in the CSV header`;
      }
      seen.add(key);
    }
    columns.push(column);
  }
  if (hasLabels && seen.has("labels")) {
    return 'the CSV header has both a "labels" column and "labels.<name>" columns';
  }
  return columns;
}

/** Maps one data row to a record (or an error record for a bad JSON cell). */
function mapRow(fields: readonly string[], columns: readonly Column[], line: number): RawRecord {
  const value: Record<string, unknown> = {};
  let labels: Record<string, unknown> | undefined;
  for (let i = 0; i < columns.length; i++) {
    const cell = fields[i];
    if (cell === undefined || cell === "") continue;
    const column = columns[i] as Column;
    if (column.kind === FIELD) {
      setOwn(value, column.name, cell);
    } else if (column.kind === LABEL) {
      labels ??= {};
      setOwn(labels, column.name, cell);
    } else {
      try {
        value[column.name] = JSON.parse(cell);
      } catch (error) {
        return {
          kind: "error",
          line,
          message: `invalid JSON in column "${column.name}": ${shortReason(error)}`,
        };
      }
    }
  }
  if (labels !== undefined) value.labels = labels;
  return { kind: "record", line, value };
}

function cellCount(n: number): string {
  return n === 1 ? "1 cell" : `${n} cells`;
}

/** Number of line breaks (`\r\n`, `\n` or a lone `\r`) inside the fields of a row. */
function lineBreaks(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) {
    for (let i = 0; i < field.length; i++) {
      const c = field.charCodeAt(i);
      if (c === 0x0a) count++;
      else if (c === 0x0d && field.charCodeAt(i + 1) !== 0x0a) count++;
    }
  }
  return count;
}

/**
 * A row as a record. A row with too many or too few cells is one bad record: its line ends are
 * still certain, so the rows after it are read as usual.
 */
function rowRecord(fields: string[], columns: readonly Column[], line: number): RawRecord {
  if (fields.length === columns.length) return mapRow(fields, columns, line);
  return {
    kind: "error",
    line,
    message: `invalid CSV: the row has ${cellCount(fields.length)}, the header has ${cellCount(columns.length)}`,
  };
}

/**
 * The chunks, non-empty, with a high surrogate that ends one held back until its pair arrives:
 * encoding it alone would turn it into U+FFFD. A surrogate left at the end comes last.
 */
async function* wholeCodePoints(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let held = "";
  for await (let chunk of chunks) {
    if (chunk.length === 0) continue;
    if (held !== "") {
      chunk = held + chunk;
      held = "";
    }
    const last = chunk.charCodeAt(chunk.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      held = chunk.slice(-1);
      chunk = chunk.slice(0, -1);
      if (chunk.length === 0) continue;
    }
    yield chunk;
  }
  if (held !== "") yield held;
}

/** csv-parse as readCsv uses it: rows and errors come back through the two callbacks. */
function csvParser(
  onRecord: (fields: string[], context: InfoRecord) => null,
  onSkip: (error: CsvError | undefined) => undefined,
) {
  return parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    // The cell count is checked per row in onRecord, so that such a row does not stop reading.
    relax_column_count: true,
    // Quoting errors are reported through on_skip, synchronously; reading stops at the first
    // one, as the row boundaries after a broken quote are guesswork.
    skip_records_with_error: true,
    on_record: onRecord,
    on_skip: onSkip,
  });
}

/**
 * Reads CSV with a header row, using csv-parse's streaming parser (fields trimmed, BOM dropped,
 * blank lines skipped). Yields one non-empty
 * batch per input chunk that completes at least one row; csv-parse may hold back the last
 * complete row of a chunk until the next chunk arrives.
 *
 * Each row becomes an object: `id`, `model`, `version`, `environment`, `startedAt`, `servingAt`,
 * `endedAt`, `outcome` and any unknown column are copied as strings; `labels.<name>` and
 * `label.<name>` columns go into `labels: {<name>: value}`; `stages` and `dependencies` hold JSON
 * text and are parsed (a parse failure gives an error record naming the column, and reading goes
 * on). Empty cells are left out. Header names are trimmed; a duplicate header name is an error at
 * the header line and reading stops. A row with more or fewer cells than the header gives an
 * error record at its line, and reading goes on with the next row. A quoting error (unclosed
 * quote, text after a closing quote, ...) gives an error record at the line where the bad row
 * starts, with csv-parse's reason, and reading stops: where the following rows begin is unknown. An empty input, or a header without rows, yields nothing.
 */
export async function* readCsv(chunks: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  let batch: RawRecord[] = [];
  let failure: RawRecord | undefined;
  let columns: Column[] | undefined;
  // Line bookkeeping. csv-parse counts a `\r\n` inside a quoted field as two lines, so rather than
  // trusting its line counter across rows, each row's start line is derived from the previous
  // row's end line plus the blank lines skipped in between.
  /** True end line of the previous row (0 before the header). */
  let previousEnd = 0;
  /** csv-parse's `lines` at the previous row. */
  let previousParserLines = 0;
  /** csv-parse's `empty_lines` at the previous row. */
  let previousEmptyLines = 0;

  const onRecord = (fields: string[], context: InfoRecord): null => {
    if (failure !== undefined) return null;
    const skipped = context.empty_lines - previousEmptyLines;
    const line = previousEnd + 1 + skipped;
    // Line breaks inside quoted fields, as csv-parse counted them: zero in the common case.
    const parserBreaks = context.lines - previousParserLines - skipped - 1;
    previousEnd = parserBreaks > 0 ? line + lineBreaks(fields) : line;
    previousParserLines = context.lines;
    previousEmptyLines = context.empty_lines;
    if (columns === undefined) {
      const plan = planColumns(fields);
      if (typeof plan === "string") {
        failure = { kind: "error", line, message: `${plan}; ${NOT_READ_ON}` };
      } else {
        columns = plan;
      }
      return null;
    }
    batch.push(rowRecord(fields, columns, line));
    return null;
  };

  const onSkip = (error: CsvError | undefined): undefined => {
    if (failure !== undefined) return;
    const emptyLines = typeof error?.empty_lines === "number" ? error.empty_lines : 0;
    const skipped = Math.max(0, emptyLines - previousEmptyLines);
    failure = {
      kind: "error",
      line: previousEnd + 1 + skipped,
      message: `invalid CSV: ${shortReason(error)}; ${NOT_READ_ON}`,
    };
  };

  const writer = csvParser(onRecord, onSkip).writable.getWriter();
  const encoder = new TextEncoder();

  /** Takes the rows read so far, with the failure (if any) last. */
  const takeBatch = (): RawRecord[] => {
    const taken = batch;
    batch = [];
    if (failure !== undefined) taken.push(failure);
    return taken;
  };

  const guard = (error: unknown): void => {
    if (failure === undefined) {
      failure = {
        kind: "error",
        line: previousEnd + 1,
        message: `invalid CSV: ${shortReason(error)}; ${NOT_READ_ON}`,
      };
    }
  };

  let closed = false;
  try {
    for await (const chunk of wholeCodePoints(chunks)) {
      try {
        await writer.write(encoder.encode(chunk));
      } catch (error) {
        guard(error);
      }
      if (batch.length > 0 || failure !== undefined) {
        yield takeBatch();
        if (failure !== undefined) return; // csv-parse cannot resynchronise after an error.
      }
    }
    try {
      await writer.close();
      closed = true;
    } catch (error) {
      guard(error);
    }
    if (batch.length > 0 || failure !== undefined) yield takeBatch();
  } finally {
    // Stopped early (error, or the consumer quit): release the parser.
    if (!closed) writer.abort().catch(() => {});
  }
}
