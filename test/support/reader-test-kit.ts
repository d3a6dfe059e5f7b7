import { expect } from "vitest";
import type { RawRecord } from "../../src/formats/raw-record.js";

type Reader = (chunks: AsyncIterable<string>) => AsyncGenerator<RawRecord[]>;

export async function* fromChunks(chunks: readonly string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}

/** Everything a reader yields for these chunks; every batch must be non-empty. */
export async function readAll(reader: Reader, chunks: readonly string[]): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const batch of reader(fromChunks(chunks))) {
    expect(batch.length).toBeGreaterThan(0);
    out.push(...batch);
  }
  return out;
}

/**
 * Every way to cut `text` into two chunks, one chunk per code unit, and (for texts up to
 * `tripleLimit` long) into three.
 */
export function chunkings(text: string, tripleLimit = 40): string[][] {
  const result: string[][] = [[text], text.split("")];
  for (let i = 0; i <= text.length; i++) result.push([text.slice(0, i), text.slice(i)]);
  if (text.length <= tripleLimit) {
    for (let i = 1; i < text.length; i++) {
      for (let j = i + 1; j < text.length; j++) {
        result.push([text.slice(0, i), text.slice(i, j), text.slice(j)]);
      }
    }
  }
  return result;
}

/** The reader yields `expected` however `text` is cut into chunks. */
export async function expectSameForAllChunkings(
  reader: Reader,
  text: string,
  expected: RawRecord[],
  tripleLimit = 40,
): Promise<void> {
  for (const chunks of chunkings(text, tripleLimit)) {
    expect(await readAll(reader, chunks), JSON.stringify(chunks)).toEqual(expected);
  }
}

export const rec = (line: number, value: unknown): RawRecord => ({ kind: "record", line, value });
