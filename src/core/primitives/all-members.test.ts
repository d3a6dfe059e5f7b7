import { describe, expect, it } from "vitest";
import { allMembers } from "./all-members.js";

type Letter = "a" | "b" | "c";

describe("allMembers", () => {
  it("returns the list, which the compiler holds to the union", () => {
    expect(allMembers<Letter>()(["a", "b", "c"])).toEqual(["a", "b", "c"]);
    // @ts-expect-error "c" is missing
    expect(allMembers<Letter>()(["a", "b"])).toHaveLength(2);
    // @ts-expect-error "d" is not a member
    expect(allMembers<Letter>()(["a", "b", "c", "d"])).toHaveLength(4);
  });
});
