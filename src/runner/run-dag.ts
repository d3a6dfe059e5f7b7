export interface DagNode {
  readonly name: string;
  readonly needs: readonly string[];
}

export type NodeStatus = "succeeded" | "failed" | "timed_out" | "cancelled";
export type DagStatus = NodeStatus | "skipped";

/**
 * Runs a DAG: each node starts as soon as every node it needs has succeeded, so independent
 * nodes run in parallel. When a node fails or times out, or `signal` aborts, the nodes still
 * running are told to stop (their own signal aborts) and nothing new starts: those never
 * started are `skipped`. Resolves once every started node has settled.
 * `run` must settle even when its signal aborts; if it throws, the node counts as failed.
 */
export async function runDag<N extends DagNode>(
  nodes: readonly N[],
  run: (node: N, signal: AbortSignal) => Promise<NodeStatus>,
  signal: AbortSignal,
): Promise<Map<string, DagStatus>> {
  const status = new Map<string, DagStatus>();
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  const running = new Map<string, Promise<void>>();
  let settle: () => void = () => undefined;

  const ready = (node: N) =>
    !status.has(node.name) &&
    !running.has(node.name) &&
    node.needs.every((need) => status.get(need) === "succeeded");

  const startReady = () => {
    if (stop.signal.aborted) return;
    for (const node of nodes) {
      if (!ready(node)) continue;
      const task = (async () => {
        let result: NodeStatus;
        try {
          result = await run(node, stop.signal);
        } catch {
          result = "failed";
        }
        running.delete(node.name);
        status.set(node.name, result);
        if (result !== "succeeded") stop.abort("a stage did not succeed");
        startReady();
        settle();
      })();
      running.set(node.name, task);
    }
  };

  startReady();
  while (running.size > 0) {
    await new Promise<void>((resolve) => {
      settle = resolve;
    });
  }
  signal.removeEventListener("abort", onAbort);
  for (const node of nodes) if (!status.has(node.name)) status.set(node.name, "skipped");
  return status;
}
