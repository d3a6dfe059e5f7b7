import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  expectSameForAllChunkings as expectForAllChunkings,
  fromChunks,
  readAll,
  rec,
} from "../../test/support/reader-test-kit.js";
import type { RawRecord } from "./raw-record.js";
import { readCsv } from "./read-csv.js";

const read = (chunks: readonly string[]) => readAll(readCsv, chunks);

const expectSameForAllChunkings = (text: string, expected: RawRecord[]) =>
  expectForAllChunkings(readCsv, text, expected, 0);

const shape = (records: RawRecord[]): [string, number][] => records.map((r) => [r.kind, r.line]);

function messageOf(record: RawRecord | undefined): string {
  if (record?.kind !== "error") throw new Error(`expected an error, got ${JSON.stringify(record)}`);
  return record.message;
}

const HEADER = "id,model,version,environment,startedAt,servingAt,endedAt,outcome";

describe("readCsv", () => {
  it("maps the known columns to string fields", async () => {
    const text = `${HEADER}\nd1,m,v1,prod,2024-01-01T00:00:00Z,2024-01-01T00:05:00Z,,serving\n`;
    expect(await read([text])).toEqual([
      rec(2, {
        id: "d1",
        model: "m",
        version: "v1",
        environment: "prod",
        startedAt: "2024-01-01T00:00:00Z",
        servingAt: "2024-01-01T00:05:00Z",
        outcome: "serving",
      }),
    ]);
  });

  it("leaves empty cells out and trims unquoted cells", async () => {
    const text = "id, model ,version\n  a  ,, \n,b,\n";
    await expectSameForAllChunkings(text, [rec(2, { id: "a" }), rec(3, { model: "b" })]);
  });

  it("keeps quoted cells as they are, with commas, quotes and newlines", async () => {
    const text = 'id,model\n"a,b","say ""hi"""\n  " c " , "x\ny"\nz,w\n';
    await expectSameForAllChunkings(text, [
      rec(2, { id: "a,b", model: 'say "hi"' }),
      rec(3, { id: " c ", model: "x\ny" }),
      rec(5, { id: "z", model: "w" }),
    ]);
  });

  it("gives correct start lines after multi-line quoted cells with CRLF", async () => {
    const text = 'id,model\r\n"a","x\r\ny\r\nz"\r\n\r\nb,c\r\n"d\re",f\r\n';
    await expectSameForAllChunkings(text, [
      rec(2, { id: "a", model: "x\r\ny\r\nz" }),
      rec(6, { id: "b", model: "c" }),
      rec(7, { id: "d\re", model: "f" }),
    ]);
  });

  it("collects labels.<name> and label.<name> columns into labels", async () => {
    const text = "id,labels.team,label.tier,labels.empty\na,ml,gold,\nb,,,\n";
    expect(await read([text])).toEqual([
      rec(2, { id: "a", labels: { team: "ml", tier: "gold" } }),
      rec(3, { id: "b" }),
    ]);
  });

  it("parses stages and dependencies as JSON", async () => {
    const text =
      'id,stages,dependencies\na,"[{""name"":""pull"",""ms"":5}]","[""db""]"\nb,,\nc,"{""x"":1}",null\n';
    expect(await read([text])).toEqual([
      rec(2, { id: "a", stages: [{ name: "pull", ms: 5 }], dependencies: ["db"] }),
      rec(3, { id: "b" }),
      rec(4, { id: "c", stages: { x: 1 }, dependencies: null }),
    ]);
  });

  it("reports bad JSON in stages naming the column and goes on", async () => {
    const text = "id,stages\na,[1\nb,[2]\n";
    const out = await read([text]);
    expect(shape(out)).toEqual([
      ["error", 2],
      ["record", 3],
    ]);
    expect(messageOf(out[0])).toMatch(/^invalid JSON in column "stages": /);
    expect(out[1]).toEqual(rec(3, { id: "b", stages: [2] }));
  });

  it("passes unknown columns through as top-level fields", async () => {
    const text = "id,colour,__proto__,labels\na,red,p,l\n";
    const [record] = await read([text]);
    expect(record).toEqual(rec(2, { id: "a", colour: "red", ["__proto__"]: "p", labels: "l" }));
    if (record?.kind === "record") {
      const value = record.value as Record<string, unknown>;
      expect(Object.keys(value)).toContain("__proto__");
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    }
  });

  it("trims header names and strips a BOM", async () => {
    const text = '\uFEFF id ," model "\r\na,b\r\n';
    await expectSameForAllChunkings(text, [rec(2, { id: "a", model: "b" })]);
  });

  it("skips blank lines but counts them", async () => {
    const text = "\n\nid,model\n\na,b\n   \n\nc,d";
    await expectSameForAllChunkings(text, [
      rec(5, { id: "a", model: "b" }),
      rec(8, { id: "c", model: "d" }),
    ]);
  });

  it("ignores nameless columns when their cells are empty", async () => {
    expect(await read(["id,,\na,,\n"])).toEqual([rec(2, { id: "a" })]);
    expect(await read(["id,,\na,x,\n"])).toEqual([rec(2, { id: "a", "": "x" })]);
  });

  it("yields nothing for empty input or a header alone", async () => {
    expect(await read([])).toEqual([]);
    expect(await read([""])).toEqual([]);
    expect(await read(["\n\n"])).toEqual([]);
    expect(await read([`${HEADER}\n`])).toEqual([]);
    expect(await read([HEADER])).toEqual([]);
  });

  it("reports a short row as one bad record at its line and reads on", async () => {
    const text = "id,model\na,b\n\nc\nd,e\n";
    const out = await read([text]);
    expect(out).toEqual([
      rec(2, { id: "a", model: "b" }),
      {
        kind: "error",
        line: 4,
        message: "invalid CSV: the row has 1 cell, the header has 2 cells",
      },
      rec(5, { id: "d", model: "e" }),
    ]);
    await expectSameForAllChunkings(text, out);
  });

  it("reports a long row as one bad record and reads on, also after multi-line cells", async () => {
    const text = 'id,model\r\na,b,c\r\n"x\r\ny",z\r\nd,e,f,g\r\nh,i\r\n';
    const out = await read([text]);
    expect(out).toEqual([
      {
        kind: "error",
        line: 2,
        message: "invalid CSV: the row has 3 cells, the header has 2 cells",
      },
      rec(3, { id: "x\r\ny", model: "z" }),
      {
        kind: "error",
        line: 5,
        message: "invalid CSV: the row has 4 cells, the header has 2 cells",
      },
      rec(6, { id: "h", model: "i" }),
    ]);
    await expectSameForAllChunkings(text, out);
  });

  it("reports an unclosed quote at the line where the row starts", async () => {
    const text = 'id,model\na,b\nc,"d\ne,f\n';
    const out = await read([text]);
    expect(shape(out)).toEqual([
      ["record", 2],
      ["error", 3],
    ]);
    expect(messageOf(out[1])).toMatch(/^invalid CSV: Quote Not Closed/);
    await expectSameForAllChunkings(text, out);
  });

  it("reports a bad closing quote and stops", async () => {
    const out = await read(['id,model\n"a"x,b\nc,d\n']);
    expect(shape(out)).toEqual([["error", 2]]);
    expect(messageOf(out[0])).toMatch(/^invalid CSV: Invalid Closing Quote/);
  });

  it("reports a duplicate header name and stops", async () => {
    const out = await read(["id,model, id\na,b,c\n"]);
    expect(out).toEqual([
      {
        kind: "error",
        line: 1,
        message: 'duplicate column "id" in the CSV header; the rest of the file was not read',
      },
    ]);
    expect(shape(await read(["labels.team,label.team\na,b\n"]))).toEqual([["error", 1]]);
    expect(shape(await read(["labels,labels.team\na,b\n"]))).toEqual([["error", 1]]);
  });

  it("does not read chunks after a quoting error", async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<string> {
      for (const chunk of ["id,model\na,b\n", 'c"x",d\n', "d,e\n", "f,g\n", "h,i\n"]) {
        pulled++;
        yield chunk;
      }
    }
    const out: RawRecord[] = [];
    for await (const batch of readCsv(source())) out.push(...batch);
    expect(shape(out)).toEqual([
      ["record", 2],
      ["error", 3],
    ]);
    expect(pulled).toBeLessThanOrEqual(3);
  });

  it("can be abandoned by the consumer mid-file", async () => {
    const rows = Array.from({ length: 50 }, (_v, i) => `r${i},m`).join("\n");
    const chunks = ["id,model\n", `${rows}\n`, "x,y\n", "p,q\n"];
    const seen: RawRecord[] = [];
    for await (const batch of readCsv(fromChunks(chunks))) {
      seen.push(...batch);
      break;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toEqual(rec(2, { id: "r0", model: "m" }));
  });

  it("reads multibyte text", async () => {
    const text = "id,model\n\u00e9\u20ac,\u{1F600}\n";
    await expectSameForAllChunkings(text, [rec(2, { id: "é€", model: "😀" })]);
  });

  it("property: rows written as CSV read back with their start lines, however chunked", async () => {
    const cell = fc.string({
      unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r\n", "\r", "é", "😀", "{"),
      maxLength: 6,
    });
    const row = fc.record({
      cells: fc.tuple(cell, cell, cell, cell),
      blanksBefore: fc.nat(1),
    });
    const columns = ["id", "labels.team", "model", "extra"];
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 8 }),
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (rows, eol, cuts) => {
          const quote = (s: string): string => `"${s.replaceAll('"', '""')}"`;
          let text = columns.join(",") + eol;
          let line = 2;
          const expected: RawRecord[] = [];
          for (const { cells, blanksBefore } of rows) {
            text += eol.repeat(blanksBefore);
            line += blanksBefore;
            const [id, team, model, extra] = cells;
            const value: Record<string, unknown> = {};
            if (id !== "") value.id = id;
            if (model !== "") value.model = model;
            if (extra !== "") value.extra = extra;
            if (team !== "") value.labels = { team };
            expected.push(rec(line, value));
            text += cells.map(quote).join(",") + eol;
            const breaks = cells.join(",").match(/\r\n|\n|\r/g)?.length ?? 0;
            line += 1 + breaks;
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
      { numRuns: 200 },
    );
  });
});
