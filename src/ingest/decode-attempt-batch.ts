import { parseAttemptRecord } from "../core/attempt/parse-attempt-record.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { encodeAttempt } from "../store/attempt-row.js";
import type { EncodedAttempt } from "../store/schema.js";
import { BatchCollector, type ItemParse } from "./parse-batch.js";
import { forEachNdjsonValue } from "./parse-ndjson-values.js";

/** How a batch body is written: one JSON value (a record or an array), or NDJSON. */
export type BatchFormat = "json" | "ndjson";

/**
 * Turns the bytes of a POST /api/v1/attempts body into attempts encoded for the store: JSON
 * or NDJSON values, every record validated (all or nothing: BatchCollector), then encoded
 * (encodeAttempt). Throws a DeploysloError for anything wrong with the body. No I/O, so it
 * runs on a worker thread as well as inline (attempt-batch-decoder.ts).
 *
 * Each record is parsed, validated and encoded before the next is read, so the objects of a
 * record die young: keeping a thousand parsed records alive until the last is read made V8
 * copy and promote them, and garbage collection cost more than the parsing.
 */
export function decodeAttemptBatch(bytes: Uint8Array, format: BatchFormat): EncodedAttempt[] {
  const batch = new BatchCollector<EncodedAttempt>(
    { one: "attempt record", many: "records" },
    "RECORD_INVALID",
  );
  if (format === "ndjson") {
    forEachNdjsonValue(bytes, (value, line) => batch.add(encode(value), () => `line ${line}`));
  } else {
    const body = parseJsonBody(bytes);
    if (Array.isArray(body)) {
      for (let i = 0; i < body.length; i++) batch.add(encode(body[i]), () => `[${i}]`);
    } else if (body !== null) batch.add(encode(body), () => "body");
  }
  return batch.done();
}

function encode(value: unknown): ItemParse<EncodedAttempt> {
  const parsed = parseAttemptRecord(value);
  return parsed.ok ? { ok: true, item: encodeAttempt(parsed.attempt) } : parsed;
}

function parseJsonBody(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  // A byte order mark is not JSON, but some clients send one.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (json.trim() === "") throw new DeploysloError("INVALID_REQUEST", "the request body is empty");
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new DeploysloError(
      "INVALID_REQUEST",
      `the body is not valid JSON: ${(error as Error).message}`,
    );
  }
}
