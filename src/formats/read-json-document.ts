import type { RawRecord } from "./raw-record.js";

/**
 * Reads a file that is one JSON object (a single record, pretty-printed): the whole text is
 * parsed at once and yields one record, or one error naming the reason.
 */
export async function* readJsonDocument(
  chunks: AsyncIterable<string>,
): AsyncGenerator<RawRecord[]> {
  let text = "";
  for await (const chunk of chunks) text += chunk;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") return;
  const line = text.slice(0, text.indexOf("{") + 1).split("\n").length;
  try {
    yield [{ kind: "record", line, value: JSON.parse(text) }];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    yield [{ kind: "error", line, message: `invalid JSON: ${reason.slice(0, 200)}` }];
  }
}
