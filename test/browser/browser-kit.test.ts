import { describe, expect, it } from "vitest";
import { browserAvailability } from "./browser-kit.js";

describe("browserAvailability", () => {
  const missing = "/nonexistent/chromium";

  it("skips with how to install Chromium when it is missing outside CI", () => {
    const availability = browserAvailability(missing, {});
    expect(availability.run).toBe(false);
    expect(availability.reason).toContain("apt-get install chromium");
  });

  it("fails under CI when Chromium is missing", () => {
    expect(() => browserAvailability(missing, { CI: "true" })).toThrow(/apt-get install chromium/);
  });

  it("runs when the executable exists", () => {
    expect(browserAvailability(process.execPath, { CI: "true" }).run).toBe(true);
  });
});
