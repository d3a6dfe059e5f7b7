import { expect, it } from "vitest";
import { plural } from "./plural.js";

it("uses the singular for exactly one, the plural otherwise", () => {
  expect(plural(1, "attempt")).toBe("1 attempt");
  expect(plural(0, "attempt")).toBe("0 attempts");
  expect(plural(2, "batch", "batches")).toBe("2 batches");
});
