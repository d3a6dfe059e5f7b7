import { describe, expect, it } from "vitest";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { readNdjson } from "../formats/read-ndjson.js";
import { forEachNdjsonValue, parseNdjsonValues } from "./parse-ndjson-values.js";

async function viaFileReader(text: string) {
  const out: { line: number; value?: unknown; message?: string }[] = [];
  async function* once() {
    yield text;
  }
  for await (const batch of readNdjson(once())) {
    for (const r of batch) {
      out.push(r.kind === "record" ? { line: r.line, value: r.value } : r);
    }
  }
  return out;
}

function viaBytes(text: string) {
  const out: { line: number; value: unknown }[] = [];
  forEachNdjsonValue(new TextEncoder().encode(text), (value, line) => out.push({ line, value }));
  return out;
}

function rejection(run: () => unknown): DeploysloError {
  try {
    run();
  } catch (error) {
    if (error instanceof DeploysloError) return error;
    throw error;
  }
  throw new Error("expected a DeploysloError");
}

/** Several 64 KiB pieces of lines with multi-byte characters, CRLF, blanks and a long line. */
function bigBody(): string {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    if (i % 97 === 0) lines.push("   ");
    const value = JSON.stringify({ i, note: `é€😀 ${"ü".repeat(i % 40)}` });
    lines.push(i % 5 === 0 ? `${value}\r` : value);
  }
  lines.splice(1500, 0, JSON.stringify({ long: "ß".repeat(100_000) }));
  return `\uFEFF${lines.join("\n")}`;
}

describe("the NDJSON of request bodies", () => {
  it("splits bytes into the same values and lines as the file reader, across pieces", async () => {
    const text = bigBody();
    expect(new TextEncoder().encode(text).length).toBeGreaterThan(4 * 64 * 1024);
    const expected = await viaFileReader(text);
    expect(expected.length).toBe(3001);
    expect(viaBytes(text)).toEqual(expected);
    expect(parseNdjsonValues(text)).toEqual(
      expected.map(({ line, value }) => ({ where: `line ${line}`, value })),
    );
  });

  it("rejects the whole body, naming each bad line as the file reader does", async () => {
    const text = `${bigBody()}\n{"a":\nnot json`;
    const problems = (await viaFileReader(text))
      .filter((r) => r.message !== undefined)
      .map((r) => `line ${r.line}: ${r.message}`);
    expect(problems).toEqual([
      expect.stringMatching(/^line 3033: invalid JSON: /),
      expect.stringMatching(/^line 3034: invalid JSON: /),
    ]);
    for (const error of [
      rejection(() => viaBytes(text)),
      rejection(() => parseNdjsonValues(text)),
    ]) {
      expect(error.message).toBe("the NDJSON body has lines that are not JSON; nothing was stored");
      expect(error.details).toEqual(problems);
    }
  });
});
