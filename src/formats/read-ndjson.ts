import { NdjsonLines } from "./ndjson-lines.js";
import type { RawRecord } from "./raw-record.js";

/**
 * Reads newline-delimited JSON from text chunks (NdjsonLines' rules), yielding one non-empty
 * batch per chunk that completes at least one line. A line that is not valid JSON gives an
 * error record and reading goes on with the next line. Any JSON value is returned as is:
 * checking that it is an object is the validator's job.
 */
export async function* readNdjson(chunks: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  let batch: RawRecord[] = [];
  const lines = new NdjsonLines(
    (value, line) => batch.push({ kind: "record", line, value }),
    (message, line) => batch.push({ kind: "error", line, message }),
  );
  for await (const chunk of chunks) {
    lines.push(chunk);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  lines.end();
  if (batch.length > 0) yield batch;
}
