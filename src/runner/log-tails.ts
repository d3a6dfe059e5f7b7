import { open } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import type { LogTail } from "./runner-types.js";

/** The output key a stage names the log file of what it leaves running with (`log=PATH`). */
export const LOG_OUTPUT = "log";
const LINES = 10;
const READ_BYTES = 16 * 1024;

/** The last non-empty lines of a file (its last 16 KiB), or none when it cannot be read. */
export async function lastLines(path: string, count = LINES): Promise<string[]> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    const { size } = await handle.stat();
    const length = Math.min(size, READ_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString("utf8").split("\n");
    if (length < size) lines.shift();
    return lines.filter((l) => l.trim() !== "").slice(-count);
  } catch {
    return [];
  } finally {
    await handle?.close();
  }
}

/** A stage and every stage it needs, directly or not, in the order given. */
export function withNeeds(
  name: string,
  stages: readonly { readonly name: string; readonly needs: readonly string[] }[],
): string[] {
  const wanted = new Set([name]);
  const byName = new Map(stages.map((s) => [s.name, s]));
  const queue = [name];
  for (let next = queue.pop(); next !== undefined; next = queue.pop())
    for (const need of byName.get(next)?.needs ?? [])
      if (!wanted.has(need)) {
        wanted.add(need);
        queue.push(need);
      }
  return stages.filter((s) => wanted.has(s.name)).map((s) => s.name);
}

/**
 * What to show when a stage fails: the last lines of its own command's output, then those of
 * the log files that it and the stages it needs named with `log=PATH` (a server they started
 * in the background that then died says why there).
 */
export async function failureLogs(
  stage: string,
  own: readonly string[] | undefined,
  named: readonly string[],
  outputs: ReadonlyMap<string, Readonly<Record<string, string>>>,
  baseDir: string,
): Promise<LogTail[]> {
  const tails: LogTail[] = [];
  if (own !== undefined && own.length > 0) tails.push({ stage, file: null, lines: own });
  for (const name of named) {
    const path = outputs.get(name)?.[LOG_OUTPUT];
    if (path === undefined || path === "") continue;
    const file = isAbsolute(path) ? path : resolve(baseDir, path);
    const lines = await lastLines(file);
    if (lines.length > 0) tails.push({ stage: name, file, lines });
  }
  return tails;
}
