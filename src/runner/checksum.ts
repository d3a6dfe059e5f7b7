import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";

/** The sha256 of a file, lowercase hex. */
export async function sha256OfFile(path: string, signal: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The sha256 of what a URL answers (status 200 only), lowercase hex. */
export async function sha256OfUrl(url: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, { signal });
  if (response.status !== 200 || response.body === null)
    throw new Error(`${url} answered ${response.status}`);
  const hash = createHash("sha256");
  for await (const chunk of response.body) hash.update(chunk);
  return hash.digest("hex");
}

/** The digest a `sha256sum`-style file publishes: the first word of its first line. */
export async function publishedSha256(path: string): Promise<string> {
  const text = await readFile(path, "utf8");
  const word = text.trim().split(/\s+/)[0] ?? "";
  if (!/^[0-9a-fA-F]{64}$/.test(word))
    throw new Error(`${path} does not start with a sha256 digest`);
  return word.toLowerCase();
}
