import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Creates `folder` and its missing parents one level at a time. Node 20's
 * `mkdir(…, { recursive: true })` (sync and async) loops forever where mkdir answers ENOENT for
 * a parent that exists, as under /proc; one level at a time, that answer is an error. Another
 * process may create the same folder at the same moment (two servers started in one working
 * directory): a folder that exists by the time mkdir runs is what was asked for.
 */
export function makeFolder(folder: string): void {
  if (existsSync(folder)) return;
  const parent = dirname(folder);
  if (parent !== folder) makeFolder(parent);
  try {
    mkdirSync(folder);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== "EEXIST" || !statSync(folder).isDirectory()) throw error;
  }
}
