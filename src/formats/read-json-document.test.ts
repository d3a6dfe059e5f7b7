import { describe, expect, it } from "vitest";
import { readAll } from "../../test/support/reader-test-kit.js";
import { readJsonDocument } from "./read-json-document.js";

describe("readJsonDocument", () => {
  it("reads one pretty-printed object, whatever the chunks", async () => {
    const text = '\ufeff\n{\n  "id": "a",\n  "model": "m"\n}\n';
    for (const chunks of [[text], text.split("")]) {
      expect(await readAll(readJsonDocument, chunks)).toEqual([
        { kind: "record", line: 2, value: { id: "a", model: "m" } },
      ]);
    }
  });
  it("reports invalid JSON with the line the object starts on", async () => {
    const [record] = await readAll(readJsonDocument, ['{\n  "id": \n']);
    expect(record).toMatchObject({ kind: "error", line: 1 });
    expect(record?.kind === "error" && record.message).toMatch(/^invalid JSON: /);
  });
  it("yields nothing for an empty file", async () => {
    expect(await readAll(readJsonDocument, ["  \n"])).toEqual([]);
  });
});
