import { createReadStream } from "node:fs";
import { stdin } from "node:process";
import { unreadable } from "../config/unreadable.js";
import type { Attempt } from "../core/attempt/attempt.js";
import { parseAttemptRecord } from "../core/attempt/parse-attempt-record.js";
import { detectFormat } from "../formats/detect-format.js";
import type { InputFormat, RawRecord } from "../formats/raw-record.js";
import { readCsv } from "../formats/read-csv.js";
import { readJsonArray } from "../formats/read-json-array.js";
import { readJsonDocument } from "../formats/read-json-document.js";
import { readNdjson } from "../formats/read-ndjson.js";
import { textChunks } from "../formats/text-chunks.js";
import type { InvalidRecord } from "./invalid-record.js";

export interface FileReadStats {
  readonly format: InputFormat;
  readonly records: number;
  readonly invalid: number;
}

const READERS: Record<InputFormat, (chunks: AsyncIterable<string>) => AsyncGenerator<RawRecord[]>> =
  {
    ndjson: readNdjson,
    json: readJsonArray,
    csv: readCsv,
    document: readJsonDocument,
  };

async function* prepend<T>(first: T, rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield first;
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
}

/**
 * Reads one deployment-history file (NDJSON, JSON array or CSV; `-` for standard input),
 * validating each record. Valid attempts go to `onAttempt`, invalid ones to `onInvalid`;
 * reading always goes on to the end so every problem is reported in one run.
 */
export async function readAttemptFile(
  file: string,
  onAttempt: (attempt: Attempt) => void,
  onInvalid: (record: InvalidRecord) => void,
): Promise<FileReadStats> {
  const bytes = file === "-" ? stdin : createReadStream(file, { highWaterMark: 1 << 20 });
  let records = 0;
  let invalid = 0;
  let format: InputFormat = "ndjson";
  try {
    const chunks = textChunks(bytes)[Symbol.asyncIterator]();
    const first = await chunks.next();
    if (first.done === true) return { format, records, invalid };
    format = detectFormat(file, first.value);
    for await (const batch of READERS[format](prepend(first.value, chunks))) {
      for (const raw of batch) {
        records++;
        if (raw.kind === "error") {
          invalid++;
          onInvalid({ file, line: raw.line, id: undefined, problems: [raw.message] });
          continue;
        }
        const parsed = parseAttemptRecord(raw.value);
        if (parsed.ok) onAttempt(parsed.attempt);
        else {
          invalid++;
          onInvalid({ file, line: raw.line, id: parsed.id, problems: parsed.problems });
        }
      }
    }
  } catch (error) {
    if (error instanceof Error && "code" in error && typeof error.code === "string") {
      throw unreadable(file, error);
    }
    throw error;
  } finally {
    if ("destroy" in bytes && bytes !== stdin) bytes.destroy();
  }
  return { format, records, invalid };
}
