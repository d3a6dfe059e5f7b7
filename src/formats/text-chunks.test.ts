import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readNdjson } from "./read-ndjson.js";
import { textChunks } from "./text-chunks.js";

async function* fromChunks<T>(chunks: readonly T[]): AsyncGenerator<T> {
  for (const chunk of chunks) yield chunk;
}

async function decode(chunks: readonly (Uint8Array | string)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const text of textChunks(fromChunks(chunks))) out.push(text);
  return out;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe("textChunks", () => {
  it("decodes multibyte characters split across chunks at every byte", async () => {
    const text = "a\u00e9\u20ac\u{1F600}z\n\u{10FFFF}";
    const bytes = utf8(text);
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const chunks = [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)];
        const out = await decode(chunks);
        expect(out.join(""), `${i},${j}`).toBe(text);
        expect(out.every((s) => s.length > 0)).toBe(true);
      }
    }
  });

  it("decodes one byte per chunk", async () => {
    const text = "\u00e9\u{1F600}";
    const bytes = utf8(text);
    const chunks = Array.from(bytes, (_b, i) => bytes.subarray(i, i + 1));
    expect((await decode(chunks)).join("")).toBe(text);
  });

  it("drops a leading BOM", async () => {
    expect(
      (await decode([new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf, 0x41])])).join(""),
    ).toBe("A");
  });

  it("replaces invalid and truncated sequences with U+FFFD", async () => {
    expect((await decode([new Uint8Array([0x41, 0xff, 0x42])])).join("")).toBe("A\uFFFDB");
    expect((await decode([new Uint8Array([0x41, 0xe2, 0x82])])).join("")).toBe("A\uFFFD");
  });

  it("passes string chunks through, flushing pending bytes first", async () => {
    expect(await decode(["ab", "", "c"])).toEqual(["ab", "c"]);
    const euro = utf8("\u20ac");
    expect((await decode([euro.subarray(0, 1), "x"])).join("")).toBe("\uFFFDx");
  });

  it("yields nothing for empty input", async () => {
    expect(await decode([])).toEqual([]);
    expect(await decode([new Uint8Array(0), ""])).toEqual([]);
  });

  it("property: any text, encoded and cut anywhere, decodes back", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme" }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (text, cuts) => {
          const bytes = utf8(text);
          const positions = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks: Uint8Array[] = [];
          let previous = 0;
          for (const p of positions) {
            chunks.push(bytes.subarray(previous, p));
            previous = p;
          }
          chunks.push(bytes.subarray(previous));
          // A leading U+FEFF would be taken as a BOM.
          const expected = text.startsWith("\uFEFF") ? text.slice(1) : text;
          expect((await decode(chunks)).join("")).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("feeds the readers: NDJSON bytes split inside a character", async () => {
    const bytes = utf8('\uFEFF{"m":"\u00e9\u{1F600}"}\n{"m":"\u20ac"}\n');
    for (let i = 0; i <= bytes.length; i++) {
      const records = [];
      const chunks = [bytes.subarray(0, i), bytes.subarray(i)];
      for await (const batch of readNdjson(textChunks(fromChunks(chunks)))) records.push(...batch);
      expect(records).toEqual([
        { kind: "record", line: 1, value: { m: "é😀" } },
        { kind: "record", line: 2, value: { m: "€" } },
      ]);
    }
  });
});
