import { describe, expect, it } from "vitest";
import { type NodeStatus, runDag } from "./run-dag.js";

/** A run function whose nodes finish when the test says so, recording the order of events. */
function controlled() {
  const log: string[] = [];
  const pending = new Map<string, (status: NodeStatus) => void>();
  const run = (node: { name: string }, signal: AbortSignal) =>
    new Promise<NodeStatus>((resolve) => {
      log.push(`start ${node.name}`);
      pending.set(node.name, resolve);
      signal.addEventListener("abort", () => resolve("cancelled"), { once: true });
    });
  const finish = async (name: string, status: NodeStatus = "succeeded") => {
    pending.get(name)?.(status);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { log, run, finish };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("runDag", () => {
  it("starts independent nodes together and a node once all its needs succeeded", async () => {
    const { log, run, finish } = controlled();
    const nodes = [
      { name: "a", needs: [] },
      { name: "b", needs: [] },
      { name: "c", needs: ["a", "b"] },
    ];
    const done = runDag(nodes, run, new AbortController().signal);
    await tick();
    expect(log).toEqual(["start a", "start b"]);
    await finish("a");
    expect(log).toEqual(["start a", "start b"]);
    await finish("b");
    expect(log).toEqual(["start a", "start b", "start c"]);
    await finish("c");
    expect(Object.fromEntries(await done)).toEqual({
      a: "succeeded",
      b: "succeeded",
      c: "succeeded",
    });
  });

  it("on a failure stops the running nodes and skips the rest", async () => {
    const { run, finish } = controlled();
    const nodes = [
      { name: "a", needs: [] },
      { name: "b", needs: [] },
      { name: "c", needs: ["a"] },
    ];
    const done = runDag(nodes, run, new AbortController().signal);
    await tick();
    await finish("a", "failed");
    expect(Object.fromEntries(await done)).toEqual({ a: "failed", b: "cancelled", c: "skipped" });
  });

  it("stops everything when the signal aborts", async () => {
    const { run } = controlled();
    const controller = new AbortController();
    const done = runDag(
      [
        { name: "a", needs: [] },
        { name: "b", needs: ["a"] },
      ],
      run,
      controller.signal,
    );
    await tick();
    controller.abort();
    expect(Object.fromEntries(await done)).toEqual({ a: "cancelled", b: "skipped" });
  });

  it("counts a node that throws as failed", async () => {
    const result = await runDag(
      [{ name: "a", needs: [] }],
      async () => {
        throw new Error("boom");
      },
      new AbortController().signal,
    );
    expect(result.get("a")).toBe("failed");
  });
});
