import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAttemptRecord } from "../core/attempt/parse-attempt-record.js";
import { generateHistory } from "../sample/generate-history.js";
import { encodeAttempt } from "../store/attempt-row.js";
import { decodeAttemptBatch } from "./decode-attempt-batch.js";
import { MAX_RECORDS_PER_REQUEST } from "./parse-batch.js";
import { parseNdjsonValues } from "./parse-ndjson-values.js";

const records = [
  ...generateHistory({
    seed: 5,
    start: Date.parse("2026-10-01T00:00:00Z"),
    days: 1,
    attemptsPerDay: 40,
    withStages: true,
  }),
];
const bytes = (text: string) => Buffer.from(text, "utf8");
const ndjson = (values: readonly unknown[]) =>
  bytes(values.map((value) => JSON.stringify(value)).join("\n"));
const expected = (values: readonly unknown[]) =>
  values.map((value) => {
    const parsed = parseAttemptRecord(value);
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    return encodeAttempt(parsed.attempt);
  });

function rejection(run: () => unknown): { code: string; message: string; details: string[] } {
  try {
    run();
  } catch (error) {
    const { code, message, details } = error as {
      code: string;
      message: string;
      details: string[];
    };
    return { code, message, details: [...details] };
  }
  throw new Error("expected the decode to throw");
}

describe("decodeAttemptBatch", () => {
  it("encodes every record of NDJSON, a JSON array and a single object as the store would", () => {
    expect(records.length).toBeGreaterThan(20);
    expect(records.some((r) => (r.stages?.length ?? 0) > 0)).toBe(true);
    const want = expected(records);
    expect(decodeAttemptBatch(ndjson(records), "ndjson")).toEqual(want);
    expect(decodeAttemptBatch(bytes(JSON.stringify(records)), "json")).toEqual(want);
    expect(decodeAttemptBatch(bytes(JSON.stringify(records[0])), "json")).toEqual(want.slice(0, 1));
  });

  it("skips blank lines, takes CRLF, a byte order mark and no final newline", () => {
    const [a, b] = records;
    const text = `\uFEFF${JSON.stringify(a)}\r\n\r\n   \n${JSON.stringify(b)}\r\n`;
    expect(decodeAttemptBatch(bytes(text), "ndjson")).toEqual(expected([a, b]));
    expect(decodeAttemptBatch(bytes(`\uFEFF${JSON.stringify([a])}`), "json")).toEqual(
      expected([a]),
    );
  });

  it("cuts lines at newline bytes without splitting multi-byte characters", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            team: fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
            note: fc.string({ unit: "binary", maxLength: 20 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (labelSets) => {
          const values = labelSets.map(({ team, note }, i) => ({
            ...records[i],
            id: `u${i}-${team}`,
            labels: { team },
            attributes: { note },
          }));
          const text = values.map((value) => JSON.stringify(value)).join("\n");
          const viaText = parseNdjsonValues(text).map(({ value }) => value);
          expect(decodeAttemptBatch(bytes(text), "ndjson")).toEqual(expected(viaText));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("names each invalid record by its line or index, and rejects the whole batch", () => {
    const [a, b] = records;
    const lines = [JSON.stringify(a), "", JSON.stringify({ ...b, servingAt: "noon" })].join("\n");
    const ndjsonError = rejection(() => decodeAttemptBatch(bytes(lines), "ndjson"));
    expect(ndjsonError).toMatchObject({
      code: "RECORD_INVALID",
      message: "1 of 2 records invalid; nothing was stored",
    });
    expect(ndjsonError.details).toEqual([expect.stringMatching(/^line 3: servingAt must be/)]);
    const arrayError = rejection(() =>
      decodeAttemptBatch(bytes(JSON.stringify([a, { id: "x" }])), "json"),
    );
    expect(arrayError.code).toBe("RECORD_INVALID");
    expect(arrayError.details[0]).toMatch(/^\[1\]: /);
    const single = rejection(() => decodeAttemptBatch(bytes('{"id":"x"}'), "json"));
    expect(single.details[0]).toMatch(/^body: /);
  });

  it("reports lines that are not JSON before any invalid record", () => {
    const text = `${JSON.stringify(records[0])}\n{nope\n{"id":"x"}\n[1,`;
    const error = rejection(() => decodeAttemptBatch(bytes(text), "ndjson"));
    expect(error.code).toBe("INVALID_REQUEST");
    expect(error.details).toEqual([
      expect.stringMatching(/^line 2: invalid JSON/),
      expect.stringMatching(/^line 4: invalid JSON/),
    ]);
  });

  it("rejects empty bodies, bodies that are not JSON, and bodies without records", () => {
    expect(rejection(() => decodeAttemptBatch(bytes(""), "json"))).toMatchObject({
      code: "INVALID_REQUEST",
      message: "the request body is empty",
    });
    expect(rejection(() => decodeAttemptBatch(bytes('{"id": '), "json")).code).toBe(
      "INVALID_REQUEST",
    );
    for (const [text, format] of [
      ["", "ndjson"],
      ["\n \n", "ndjson"],
      ["[]", "json"],
      ["null", "json"],
    ] as const) {
      expect(rejection(() => decodeAttemptBatch(bytes(text), format))).toMatchObject({
        code: "RECORD_INVALID",
        message: "the request holds no attempt record",
      });
    }
    expect(rejection(() => decodeAttemptBatch(bytes('"hello"'), "json")).code).toBe(
      "RECORD_INVALID",
    );
  });

  it(`rejects more than ${MAX_RECORDS_PER_REQUEST} records as too large`, () => {
    const line = JSON.stringify(records[0]);
    const body = bytes(Array.from({ length: MAX_RECORDS_PER_REQUEST + 1 }, () => line).join("\n"));
    expect(rejection(() => decodeAttemptBatch(body, "ndjson")).code).toBe("PAYLOAD_TOO_LARGE");
    const atLimit = bytes(Array.from({ length: MAX_RECORDS_PER_REQUEST }, () => line).join("\n"));
    expect(decodeAttemptBatch(atLimit, "ndjson")).toHaveLength(MAX_RECORDS_PER_REQUEST);
  });

  it("reads a view into a larger buffer without looking outside it", () => {
    const inner = ndjson(records.slice(0, 3));
    const outer = Buffer.concat([bytes('{"id":"before"}\n'), inner, bytes('\n{"id":"after"}')]);
    const view = outer.subarray(16, 16 + inner.length);
    expect(decodeAttemptBatch(view, "ndjson")).toEqual(expected(records.slice(0, 3)));
  });
});
