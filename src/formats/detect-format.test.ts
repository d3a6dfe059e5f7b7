import { describe, expect, it } from "vitest";
import { detectFormat } from "./detect-format.js";

describe("detectFormat", () => {
  it("goes by the extension first", () => {
    expect(detectFormat("history.ndjson", "[1]")).toBe("ndjson");
    expect(detectFormat("history.jsonl", "")).toBe("ndjson");
    expect(detectFormat("history.csv", '{"a":1}')).toBe("csv");
    expect(detectFormat("dir.v2/History.CSV", "[")).toBe("csv");
    expect(detectFormat("C:\\data\\h.JSONL", "[")).toBe("ndjson");
  });

  it("reads .json as a JSON array only when it starts with [", () => {
    expect(detectFormat("h.json", "[{}]")).toBe("json");
    expect(detectFormat("h.json", "\uFEFF \r\n\t[")).toBe("json");
    expect(detectFormat("h.json", '{"a":1}\n{"a":2}')).toBe("ndjson");
    expect(detectFormat("h.json", "")).toBe("ndjson");
    expect(detectFormat("h.json", "  \n")).toBe("ndjson");
  });

  it("sniffs the content for other names", () => {
    expect(detectFormat("-", " \n[")).toBe("json");
    expect(detectFormat("history.txt", "\uFEFF{")).toBe("ndjson");
    expect(detectFormat("history", "id,model\n")).toBe("csv");
    expect(detectFormat("", "")).toBe("csv");
    expect(detectFormat("/tmp/.json", "{")).toBe("ndjson");
    expect(detectFormat("archive.json.gz", "[")).toBe("json");
  });
});

describe("detectFormat: one JSON object", () => {
  it("reads a one-line object as NDJSON and a pretty-printed one as a document", () => {
    expect(detectFormat("a.json", '{"id":"a"}\n{"id":"b"}\n')).toBe("ndjson");
    expect(detectFormat("a.json", '{\n  "id": "a"\n}\n')).toBe("document");
    expect(detectFormat("-", '{\n  "id": "a"\n}\n')).toBe("document");
    expect(detectFormat("a.json", '{"id":"a"}')).toBe("ndjson");
  });
});
