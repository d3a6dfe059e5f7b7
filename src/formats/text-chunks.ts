/**
 * Decodes a stream of UTF-8 byte chunks into text chunks. The decoder is streaming, so a
 * multibyte character split across two byte chunks decodes correctly. A leading UTF-8 BOM is
 * dropped (TextDecoder's default) and invalid bytes become U+FFFD. String chunks pass through
 * unchanged (after flushing any incomplete byte sequence before them). Empty chunks are not
 * yielded.
 */
export async function* textChunks(
  source: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let pendingBytes = false;
  for await (const chunk of source) {
    if (typeof chunk === "string") {
      if (pendingBytes) {
        pendingBytes = false;
        const rest = decoder.decode();
        if (rest !== "") yield rest;
      }
      if (chunk !== "") yield chunk;
      continue;
    }
    if (chunk.length === 0) continue;
    pendingBytes = true;
    const text = decoder.decode(chunk, { stream: true });
    if (text !== "") yield text;
  }
  if (pendingBytes) {
    const rest = decoder.decode();
    if (rest !== "") yield rest;
  }
}
