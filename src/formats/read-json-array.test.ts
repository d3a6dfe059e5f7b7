import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  expectSameForAllChunkings as expectForAllChunkings,
  fromChunks,
  readAll,
  rec,
} from "../../test/support/reader-test-kit.js";
import type { RawRecord } from "./raw-record.js";
import { readJsonArray } from "./read-json-array.js";

const read = (chunks: readonly string[]) => readAll(readJsonArray, chunks);

const expectSameForAllChunkings = (text: string, expected: RawRecord[]) =>
  expectForAllChunkings(readJsonArray, text, expected, 40);

/** The records as [kind, line] pairs. */
const shape = (records: RawRecord[]): [string, number][] => records.map((r) => [r.kind, r.line]);

function messageOf(record: RawRecord | undefined): string {
  if (record?.kind !== "error") throw new Error(`expected an error, got ${JSON.stringify(record)}`);
  return record.message;
}

describe("readJsonArray", () => {
  it("reads the elements with the line each starts on", async () => {
    const text = '[\n  {"a": 1},\n  {\n    "b": 2\n  }\n]\n';
    await expectSameForAllChunkings(text, [rec(2, { a: 1 }), rec(3, { b: 2 })]);
  });

  it("reads a one-line array", async () => {
    await expectSameForAllChunkings('[{"a":1},{"b":[1,2]},3,"x",null,true]', [
      rec(1, { a: 1 }),
      rec(1, { b: [1, 2] }),
      rec(1, 3),
      rec(1, "x"),
      rec(1, null),
      rec(1, true),
    ]);
  });

  it("is not fooled by brackets, commas and escaped quotes inside strings", async () => {
    const a = { s: 'he said "]}," and left \\ ok', t: "[{", n: [[], {}, [{ x: "]" }]] };
    const b = { s: "\\", u: '\\"', v: "\u2028é😀" };
    const text = `[${JSON.stringify(a)},\n${JSON.stringify(b)}]`;
    await expectSameForAllChunkings(text, [rec(1, a), rec(2, b)]);
  });

  it("handles CRLF, a BOM and whitespace around everything", async () => {
    const text = '\uFEFF \r\n[\r\n {"a":1} ,\r\n\r\n\t{"b":2}\r\n] \r\n';
    await expectSameForAllChunkings(text, [rec(3, { a: 1 }), rec(5, { b: 2 })]);
  });

  it("yields nothing for an empty array or empty input", async () => {
    await expectSameForAllChunkings("[]", []);
    await expectSameForAllChunkings(" [ \n ] \n", []);
    expect(await read([])).toEqual([]);
    expect(await read(["", " \n\t"])).toEqual([]);
    expect(await read(["\uFEFF"])).toEqual([]);
  });

  it("rejects input that is not an array", async () => {
    const out = await read(['\n\n{"a":1}\n{"b":2}\n']);
    expect(out).toEqual([
      {
        kind: "error",
        line: 3,
        message: "expected a JSON array ([...]) or one JSON object per line",
      },
    ]);
    expect(shape(await read(["x"]))).toEqual([["error", 1]]);
  });

  it("reports a bad element with its line and goes on", async () => {
    const text = '[\n{"a":1},\n{"a":\n  2,},\n{"c":3}\n]';
    const out = await read([text]);
    expect(shape(out)).toEqual([
      ["record", 2],
      ["error", 3],
      ["record", 5],
    ]);
    const message = messageOf(out[1]);
    expect(message).toMatch(/^invalid JSON: /);
    // The position is given in file coordinates: the `}` after `  2,` on line 4, column 5.
    expect(message).toContain("at line 4 column 5");
    await expectSameForAllChunkings(text, out);
  });

  it("ends an element with a bracket left open at its own comma and reads on", async () => {
    const text =
      '[\n{"id":"a"},\n{"id":"b", "x":[1,2},\n{"id":"c", "y":{"z":[3}}},\n{"id":"d"}\n]\n';
    const out = await read([text]);
    expect(shape(out)).toEqual([
      ["record", 2],
      ["error", 3],
      ["error", 4],
      ["record", 5],
    ]);
    expect(messageOf(out[1])).toMatch(/^invalid JSON: .* at line 3 column 20/);
    await expectSameForAllChunkings(text, out);
  });

  it("gives file columns for errors on an element's first line", async () => {
    const out = await read(['[1, {"a" 1}]']);
    expect(shape(out)).toEqual([
      ["record", 1],
      ["error", 1],
    ]);
    expect(messageOf(out[1])).toContain("at line 1 column 10");
  });

  it("reports missing commas between elements as a bad element", async () => {
    const out = await read(['[{"a":1}\n{"b":2}, {"c":3}]']);
    expect(shape(out)).toEqual([
      ["error", 1],
      ["record", 2],
    ]);
  });

  it("reports empty elements and trailing commas", async () => {
    const out = await read(["[1,\n,2,]"]);
    expect(shape(out)).toEqual([
      ["record", 1],
      ["error", 2],
      ["record", 2],
      ["error", 2],
    ]);
    expect(messageOf(out[1])).toMatch(/empty array element/);
    expect(messageOf(out[3])).toMatch(/trailing comma/);
    expect(shape(await read(["[,]"]))).toEqual([
      ["error", 1],
      ["error", 1],
    ]);
  });

  it("reports text after the closing bracket and stops", async () => {
    const out = await read(['[{"a":1}]\n\n{"b":2}\n[3]']);
    expect(shape(out)).toEqual([
      ["record", 1],
      ["error", 3],
    ]);
    expect(messageOf(out[1])).toBe("unexpected text after the end of the JSON array");
  });

  it("does not read chunks after it stops", async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<string> {
      for (const chunk of ["[1]", " x", "[2]", "[3]"]) {
        pulled++;
        yield chunk;
      }
    }
    const out: RawRecord[] = [];
    for await (const batch of readJsonArray(source())) out.push(...batch);
    expect(shape(out)).toEqual([
      ["record", 1],
      ["error", 1],
    ]);
    expect(pulled).toBe(2);
  });

  it("reports an array that is not closed after a complete element", async () => {
    const text = '[\n{"a":1},\n{"b":\n2}\n\n';
    const out = await read([text]);
    expect(out.slice(0, 2)).toEqual([rec(2, { a: 1 }), rec(3, { b: 2 })]);
    expect(shape(out)).toEqual([
      ["record", 2],
      ["record", 3],
      ["error", 4],
    ]);
    expect(messageOf(out[2])).toMatch(/not closed/);
    await expectSameForAllChunkings(text, out);
  });

  it("reports an array that ends after a comma or the opening bracket", async () => {
    expect(shape(await read(["[1,\n\n"]))).toEqual([
      ["record", 1],
      ["error", 1],
    ]);
    expect(shape(await read(["\n[  "]))).toEqual([["error", 2]]);
  });

  it("reports an unterminated element at its start line", async () => {
    const text = '[{"a":1},\n{"b":"oops}\n,{"c":3}]\n';
    const out = await read([text]);
    expect(shape(out)).toEqual([
      ["record", 1],
      ["error", 2],
    ]);
    expect(messageOf(out[1])).toMatch(/^unexpected end of input: unterminated array element/);
    await expectSameForAllChunkings(text, out);
  });

  it("counts lines inside (invalid) multi-line strings", async () => {
    const out = await read(['["a\nb", 2]']);
    expect(shape(out)).toEqual([
      ["error", 1],
      ["record", 2],
    ]);
  });

  it("yields one batch per chunk that completes elements", async () => {
    const batches: number[][] = [];
    for await (const batch of readJsonArray(fromChunks(["[1,2", ",3,", "", "4", "]"]))) {
      batches.push(batch.map((r) => (r.kind === "record" ? (r.value as number) : -1)));
    }
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it("reads a long element spread over many chunks", async () => {
    const value = { s: 'q\\"'.repeat(2000), n: [[1], [2]] };
    const text = `[${JSON.stringify(value)}, 5]`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 3) chunks.push(text.slice(i, i + 3));
    expect(await read(chunks)).toEqual([rec(1, value), rec(1, 5)]);
  });

  it("property: objects written as a (pretty) JSON array read back with their lines", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.dictionary(fc.string({ unit: "binary" }), fc.jsonValue()), { maxLength: 12 }),
        fc.constantFrom(0, 2, "\t"),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (values, indent, cuts) => {
          const text = JSON.stringify(values, null, indent);
          const expected: RawRecord[] = [];
          let line = indent === 0 ? 1 : 2;
          for (const value of values) {
            const json = JSON.stringify(value, null, indent);
            expected.push(rec(line, JSON.parse(json)));
            if (indent !== 0) line += json.split("\n").length;
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
