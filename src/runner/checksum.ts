import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

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

/**
 * The digest a checksum file publishes for `checked` (a file path or URL): a `sha256sum`
 * file's line `DIGEST  NAME` whose NAME, relative to the checksum file, is that file (for a
 * URL: whose NAME ends its path); or a file holding a single digest.
 */
export async function publishedSha256(path: string, checked: string): Promise<string> {
  const text = await readFile(path, "utf8");
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const isUrl = /^https?:\/\//.test(checked);
  for (const line of lines) {
    const match = /^([0-9a-fA-F]{64})(?:\s+\*?(.+))?$/.exec(line);
    if (match === null) continue;
    const [, digest = "", name] = match;
    if (name === undefined && lines.length === 1) return digest.toLowerCase();
    if (name === undefined) continue;
    const same = isUrl
      ? new URL(checked).pathname.endsWith(`/${name.replace(/^\.\//, "")}`)
      : resolve(dirname(path), name) === resolve(checked);
    if (same) return digest.toLowerCase();
  }
  throw new Error(`${path} publishes no sha256 for ${checked}`);
}
