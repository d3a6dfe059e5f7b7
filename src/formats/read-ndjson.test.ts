import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  expectSameForAllChunkings as expectForAllChunkings,
  fromChunks,
  readAll,
  rec,
} from "../../test/support/reader-test-kit.js";
import type { RawRecord } from "./raw-record.js";
import { readNdjson } from "./read-ndjson.js";

const read = (chunks: readonly string[]) => readAll(readNdjson, chunks);

const expectSameForAllChunkings = (text: string, expected: RawRecord[]) =>
  expectForAllChunkings(readNdjson, text, expected, 40);

describe("readNdjson", () => {
  it("reads one JSON value per line with 1-based line numbers", async () => {
    expect(await read(['{"a":1}\n{"b":2}\n'])).toEqual([rec(1, { a: 1 }), rec(2, { b: 2 })]);
  });

  it("reads a last line without a trailing newline", async () => {
    expect(await read(['{"a":1}\n{"b":2}'])).toEqual([rec(1, { a: 1 }), rec(2, { b: 2 })]);
  });

  it("skips blank and whitespace-only lines but counts them", async () => {
    const text = '\n{"a":1}\n   \n\t\n\n{"b":2}\n\n';
    await expectSameForAllChunkings(text, [rec(2, { a: 1 }), rec(6, { b: 2 })]);
  });

  it("handles CRLF line endings", async () => {
    const text = '{"a":1}\r\n\r\n{"b":"x"}\r\n';
    await expectSameForAllChunkings(text, [rec(1, { a: 1 }), rec(3, { b: "x" })]);
  });

  it("strips a UTF-8 BOM at the very start only", async () => {
    await expectSameForAllChunkings('\uFEFF{"a":1}\n{"b":2}', [rec(1, { a: 1 }), rec(2, { b: 2 })]);
    expect(await read(["", '\uFEFF{"a":1}'])).toEqual([rec(1, { a: 1 })]);
    const [, second] = await read(['{"a":1}\n\uFEFF{"b":2}']);
    expect(second).toMatchObject({ kind: "error", line: 2 });
  });

  it("reports a bad line as an error record and goes on", async () => {
    const out = await read(['{"a":1}\n{"a":\n{"b":2}\nnot json\n']);
    expect(out).toHaveLength(4);
    expect(out[0]).toEqual(rec(1, { a: 1 }));
    expect(out[1]).toMatchObject({ kind: "error", line: 2 });
    expect(out[2]).toEqual(rec(3, { b: 2 }));
    expect(out[3]).toMatchObject({ kind: "error", line: 4 });
    for (const r of [out[1], out[3]]) {
      if (r?.kind !== "error") throw new Error("expected an error");
      expect(r.message).toMatch(/^invalid JSON: \S/);
      expect(r.message.length).toBeLessThan(250);
    }
  });

  it("turns JSON.parse's position into a column", async () => {
    const [error] = await read(['{"a":1,}']);
    expect(error).toMatchObject({ kind: "error", line: 1 });
    if (error?.kind === "error") {
      expect(error.message).toContain("invalid JSON:");
      expect(error.message).not.toMatch(/position/);
      expect(error.message).toMatch(/column 8/);
    }
  });

  it("keeps error messages short for huge bad lines", async () => {
    const [error] = await read([`{"a": ${"x".repeat(100_000)}}`]);
    expect(error?.kind).toBe("error");
    if (error?.kind === "error") expect(error.message.length).toBeLessThanOrEqual(214);
  });

  it("returns any JSON value, not only objects", async () => {
    expect(await read(['1\n"s"\nnull\n[1,2]\n'])).toEqual([
      rec(1, 1),
      rec(2, "s"),
      rec(3, null),
      rec(4, [1, 2]),
    ]);
  });

  it("gives the same records for every chunking", async () => {
    const text = '{"id":"a","s":"x\\ny"}\r\n\n  {"id":"b"}  \nbad\n{"id":"é😀"}';
    const expected = await read([text]);
    expect(expected.map((r) => [r.kind, r.line])).toEqual([
      ["record", 1],
      ["record", 3],
      ["error", 4],
      ["record", 5],
    ]);
    await expectSameForAllChunkings(text, expected);
  });

  it("yields one batch per chunk that completes lines", async () => {
    const batches: RawRecord[][] = [];
    for await (const batch of readNdjson(fromChunks(["1\n2\n3", "\n4\n", "5", "", "6"]))) {
      batches.push(batch);
    }
    expect(batches.map((b) => b.map((r) => r.line))).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("reads empty input as nothing", async () => {
    expect(await read([])).toEqual([]);
    expect(await read(["", "\n\n", "  "])).toEqual([]);
  });

  it("reads a line spread over many chunks", async () => {
    const value = { s: "y".repeat(5000) };
    const text = `${JSON.stringify(value)}\n`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 7) chunks.push(text.slice(i, i + 7));
    expect(await read(chunks)).toEqual([rec(1, value)]);
  });

  it("property: objects written as NDJSON read back with their lines, however chunked", async () => {
    const entry = fc.record({
      value: fc.dictionary(fc.string({ unit: "binary" }), fc.jsonValue()),
      blanksBefore: fc.nat(2),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 15 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (entries, crlf, cuts) => {
          const eol = crlf ? "\r\n" : "\n";
          let text = "";
          let line = 1;
          const expected: RawRecord[] = [];
          for (const { value, blanksBefore } of entries) {
            text += eol.repeat(blanksBefore);
            line += blanksBefore;
            const json = JSON.stringify(value);
            expected.push(rec(line, JSON.parse(json)));
            text += json + eol;
            line++;
          }
          const positions = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks: string[] = [];
          let previous = 0;
          for (const p of positions) {
            chunks.push(text.slice(previous, p));
            previous = p;
          }
          chunks.push(text.slice(previous));
          expect(await read(chunks)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
