/** A finished node of a DAG: when it ran and what it waited for. Times are epoch ms. */
export interface TimedNode {
  readonly name: string;
  readonly needs: readonly string[];
  readonly startedAt: number;
  readonly endedAt: number;
}

/**
 * The chain of nodes that set the end time: from the node that ended last, walk back through
 * the need that ended last (ties: the first listed), down to a node with no needs. Shortening
 * any other node would not have ended the run sooner.
 *
 * @example dagCriticalPath([{ name: "a", needs: [], startedAt: 0, endedAt: 5 },
 *   { name: "b", needs: ["a"], startedAt: 5, endedAt: 9 }]) // ["a", "b"]
 */
export function dagCriticalPath(nodes: readonly TimedNode[]): string[] {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  let current: TimedNode | undefined;
  for (const node of nodes)
    if (current === undefined || node.endedAt > current.endedAt) current = node;
  const path: string[] = [];
  const seen = new Set<string>();
  while (current !== undefined && !seen.has(current.name)) {
    seen.add(current.name);
    path.push(current.name);
    let next: TimedNode | undefined;
    for (const need of current.needs) {
      const node = byName.get(need);
      if (node !== undefined && (next === undefined || node.endedAt > next.endedAt)) next = node;
    }
    current = next;
  }
  return path.reverse();
}
