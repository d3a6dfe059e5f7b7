import { describe, expect, it } from "vitest";
import { outputVariable, parseStageOutput } from "./stage-output.js";

describe("parseStageOutput", () => {
  it("reads key=value lines, typing numbers and booleans for the span", () => {
    expect(
      parseStageOutput("bytes=1024\nwarm=false\n# note\ndigest = sha256:ab\nbad line\n=x\n"),
    ).toEqual({
      values: { bytes: "1024", warm: "false", digest: "sha256:ab" },
      attributes: { bytes: 1024, warm: false, digest: "sha256:ab" },
    });
  });

  it("names the variables later stages read", () => {
    expect(outputVariable("start-server", "port")).toBe("STAGE_START_SERVER_PORT");
  });
});
