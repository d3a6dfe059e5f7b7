import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { publishedSha256, sha256OfFile } from "./checksum.js";

describe("checksums", () => {
  it("hashes a file and finds its line in a sha256sum file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "deployslo-checksum-"));
    await writeFile(join(dir, "a.txt"), "hello\n");
    const digest = await sha256OfFile(join(dir, "a.txt"), new AbortController().signal);
    expect(digest).toBe("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    await writeFile(join(dir, "SUMS"), `${"0".repeat(64)}  b.txt\n${digest}  a.txt\n`);
    expect(await publishedSha256(join(dir, "SUMS"), join(dir, "a.txt"))).toBe(digest);
    await expect(publishedSha256(join(dir, "SUMS"), join(dir, "c.txt"))).rejects.toThrow(
      /publishes no sha256/,
    );
    expect(await publishedSha256(join(dir, "SUMS"), "http://127.0.0.1:1/files/b.txt")).toBe(
      "0".repeat(64),
    );
  });
});
