import type { BatchFormat } from "../ingest/decode-attempt-batch.js";
import { type LocatedValue, locateJsonValues } from "../ingest/parse-batch.js";
import { parseNdjsonValues } from "../ingest/parse-ndjson-values.js";

/** An application/x-ndjson body after parsing: one value per non-blank line. */
export class NdjsonBody {
  constructor(readonly values: readonly LocatedValue[]) {}
}

/** Parses an application/x-ndjson body; a line that is not JSON rejects the whole body. */
export function parseNdjsonBody(text: string): NdjsonBody {
  return new NdjsonBody(parseNdjsonValues(text));
}

/** Names each value of a body by where it was: `line N`, `[i]`, or `body`. */
export function locatedValues(body: unknown): readonly LocatedValue[] {
  return body instanceof NdjsonBody ? body.values : locateJsonValues(body);
}

/** A POST /api/v1/attempts body, undecoded: the attempt batch decoder parses it. */
export class BatchBody {
  constructor(
    readonly bytes: Uint8Array,
    readonly format: BatchFormat,
  ) {}
}
