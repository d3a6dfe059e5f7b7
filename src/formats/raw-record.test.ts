import { describe, expect, expectTypeOf, it } from "vitest";
import type { InputFormat, RawRecord } from "./raw-record.js";

describe("RawRecord", () => {
  it("is a union told apart by kind", () => {
    const records: RawRecord[] = [
      { kind: "record", line: 1, value: { id: "a" } },
      { kind: "error", line: 2, message: "invalid JSON: x" },
    ];
    const lines = records.map((r) => (r.kind === "record" ? r.line : -r.line));
    expect(lines).toEqual([1, -2]);
    expectTypeOf<Extract<RawRecord, { kind: "error" }>["message"]>().toEqualTypeOf<string>();
    expectTypeOf<InputFormat>().toEqualTypeOf<"ndjson" | "json" | "csv" | "document">();
  });
});
