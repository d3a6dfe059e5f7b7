import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { systemClock } from "../clock/clock.js";
import { runAction } from "./run-action.js";
import type { ActionContext } from "./stage-action.js";

async function context(signal = new AbortController().signal): Promise<ActionContext> {
  return {
    stage: "work",
    tryNumber: 1,
    signal,
    clock: systemClock,
    baseDir: process.cwd(),
    scratch: await mkdtemp(join(tmpdir(), "deployslo-run-action-")),
    env: { PATH: process.env.PATH ?? "" },
    expand: () => {
      throw new Error("no templates here");
    },
  };
}

describe("the run action", () => {
  it("runs a list as a program and its arguments, without a shell", async () => {
    const result = await runAction({ command: ["echo", "$HOME", "a b"] }, await context());
    expect(result).toMatchObject({ ok: true, exit: { code: 0, signal: null, spawnError: null } });
  });

  it("keeps the last lines of a failed command, a last line without newline included", async () => {
    const result = await runAction(
      { command: "echo one; echo two; printf 'cannot load weights'; exit 3" },
      await context(),
    );
    expect(result.ok).toBe(false);
    expect(result.error).toBe("exit code 3: cannot load weights");
    expect(result.log).toEqual(["one", "two", "cannot load weights"]);
    expect(result.attributes).toMatchObject({ exitCode: 3 });
  });

  it("says when the program does not exist", async () => {
    const result = await runAction({ command: ["no-such-program-here"] }, await context());
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^cannot run: spawn no-such-program-here ENOENT/);
  });

  it("stops the process group with the signal named by the abort reason", async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort("SIGINT"), 100);
    const result = await runAction({ command: ["sleep", "5"] }, await context(stop.signal));
    expect(result.exit).toMatchObject({ code: null, signal: "SIGINT" });
    expect(result.error).toBe("killed by SIGINT");
  });

  it("reads the outputs the command wrote to $DEPLOYSLO_OUTPUT", async () => {
    const result = await runAction(
      {
        command: 'echo "port=8080" >> "$DEPLOYSLO_OUTPUT"; echo "$DEPLOYSLO_STAGE $DEPLOYSLO_TRY"',
      },
      await context(),
    );
    expect(result.outputs).toEqual({ port: "8080" });
    expect(result.attributes).toMatchObject({ port: 8080, exitCode: 0 });
  });
});
