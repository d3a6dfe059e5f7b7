import type { InputFormat } from "./raw-record.js";

/** The first character of `head` that is neither a leading BOM nor JSON whitespace, or "". */
function firstSignificantChar(head: string): string {
  let i = head.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return head.charAt(i);
  }
  return "";
}

/** For input starting with `{`: one object per line, or one (pretty-printed) object? */
function objectFormat(head: string): InputFormat {
  const start = head.indexOf("{");
  const end = head.indexOf("\n", start);
  const firstLine = head.slice(start, end === -1 ? head.length : end);
  try {
    JSON.parse(firstLine);
    return "ndjson";
  } catch {
    return end === -1 ? "ndjson" : "document";
  }
}

/**
 * Picks the reader for an input file. The extension decides first (case-insensitive):
 * `.ndjson`/`.jsonl` → ndjson, `.csv` → csv, `.json` → json when the content starts with `[`
 * (after an optional BOM and whitespace), else ndjson. Any other name (including `-` for stdin)
 * is sniffed from `head`, the first text chunk: `[` → json, `{` → ndjson, anything else
 * (including empty input) → csv. Input starting with `{` whose first line is not a whole JSON
 * value is one pretty-printed object: `document`.
 */
export function detectFormat(fileName: string, head: string): InputFormat {
  const base = fileName.slice(Math.max(fileName.lastIndexOf("/"), fileName.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
  const first = firstSignificantChar(head);
  switch (ext) {
    case "ndjson":
    case "jsonl":
      return "ndjson";
    case "csv":
      return "csv";
    case "json":
      if (first === "[") return "json";
      return first === "{" ? objectFormat(head) : "ndjson";
    default:
      if (first === "[") return "json";
      if (first === "{") return objectFormat(head);
      return "csv";
  }
}
