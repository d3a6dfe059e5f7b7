import { readFile, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { unreadable } from "../config/unreadable.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { makeFolder } from "../store/make-folder.js";

export const RESUME_SUFFIX = ".deployslo-push";
export const RESUME_FORMAT = "deployslo-push/1";

/** Where the progress of pushing `file` is kept unless --resume-file says otherwise. */
export function defaultResumeFile(file: string): string {
  return `${file}${RESUME_SUFFIX}`;
}

/** One input file's progress: which file (and which version of it) and how far it got. */
export interface ResumeEntry {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Valid records in the file, in the order they are sent. */
  readonly records: number;
  /** The first `acknowledged` of them were acknowledged by the server. */
  readonly acknowledged: number;
}

export interface ResumeState {
  readonly format: typeof RESUME_FORMAT;
  readonly server: string;
  readonly files: readonly ResumeEntry[];
}

function isEntry(value: unknown): value is ResumeEntry {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.path === "string" &&
    ["size", "mtimeMs", "records", "acknowledged"].every((key) => typeof v[key] === "number")
  );
}

/**
 * Reads a progress file: undefined when there is none. A file that exists but is not one
 * of ours is an error, not something to overwrite and delete.
 */
export async function readResumeState(path: string): Promise<ResumeState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw unreadable(path, error);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const v = value as Partial<Record<keyof ResumeState, unknown>> | undefined;
  if (
    v === undefined ||
    v === null ||
    v.format !== RESUME_FORMAT ||
    typeof v.server !== "string" ||
    !Array.isArray(v.files) ||
    !v.files.every(isEntry)
  ) {
    throw new DeploysloError(
      "USAGE",
      `${path} exists and is not a deployslo push progress file; remove it or pass another --resume-file`,
    );
  }
  return { format: RESUME_FORMAT, server: v.server, files: v.files };
}

/** Writes a progress file atomically (write, then rename), so a crash never leaves half of one. */
export async function writeResumeState(path: string, state: ResumeState): Promise<void> {
  const temporary = `${path}.tmp`;
  makeFolder(dirname(resolve(path)));
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, path);
}

/**
 * What to do with a file given its progress entry: how many records to skip, or why to
 * start over (a changed file: upserts by id make sending it all again safe).
 */
export function resumePoint(
  entry: ResumeEntry | undefined,
  current: { size: number; mtimeMs: number; records: number },
): { skip: number; restart?: string } {
  if (entry === undefined) return { skip: 0 };
  if (entry.size !== current.size || entry.mtimeMs !== current.mtimeMs)
    return { skip: 0, restart: "it changed since (size or modification time)" };
  if (
    entry.records !== current.records ||
    !Number.isInteger(entry.acknowledged) ||
    entry.acknowledged < 0 ||
    entry.acknowledged > entry.records
  ) {
    return { skip: 0, restart: "its progress does not match its records" };
  }
  return { skip: entry.acknowledged };
}
