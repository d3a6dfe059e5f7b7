import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Creates `folder` and its missing parents one level at a time. Node 20's
 * `mkdir(…, { recursive: true })` (sync and async) loops forever where mkdir answers ENOENT for
 * a parent that exists, as under /proc; one level at a time, that answer is an error.
 */
export function makeFolder(folder: string): void {
  if (existsSync(folder)) return;
  const parent = dirname(folder);
  if (parent !== folder) makeFolder(parent);
  mkdirSync(folder);
}
