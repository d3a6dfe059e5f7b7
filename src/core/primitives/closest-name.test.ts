import { expect, it } from "vitest";
import { closestName } from "./closest-name.js";

it("takes a singular for its plural field", () => {
  expect(closestName("retry", ["run", "name", "needs", "timeout", "retries", "retryDelay"])).toBe(
    "retries",
  );
  expect(closestName("stages", ["stage", "slo"])).toBe("stage");
});

it("suggests nothing for an unrelated name", () => {
  expect(closestName("color", ["retries", "timeout"])).toBeUndefined();
});
