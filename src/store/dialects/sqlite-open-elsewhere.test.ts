import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../open-store.js";
import { sqliteOpenElsewhere } from "./sqlite-open-elsewhere.js";

describe("sqliteOpenElsewhere", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "deployslo-open-elsewhere-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is true while a store has the file open, false once it is closed", async () => {
    const path = join(dir, "store.db");
    const store = await openStore(path);
    expect(sqliteOpenElsewhere(path)).toBe(true);
    await store.close();
    expect(sqliteOpenElsewhere(path)).toBe(false);
  });

  it("is false for a file that does not exist, and does not create it", async () => {
    expect(sqliteOpenElsewhere(join(dir, "missing.db"))).toBe(false);
    expect(sqliteOpenElsewhere(":memory:")).toBe(false);
  });
});
