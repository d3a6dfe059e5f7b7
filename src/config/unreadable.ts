import { DeploysloError } from "../core/primitives/error-codes.js";

const REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is not a directory",
};

/** An INPUT_UNREADABLE error that names the file and says why in words. */
export function unreadable(file: string, error: unknown): DeploysloError {
  const code = (error as { code?: unknown } | null)?.code;
  const reason =
    (typeof code === "string" ? REASONS[code] : undefined) ??
    (error instanceof Error ? error.message : String(error));
  return new DeploysloError("INPUT_UNREADABLE", `cannot read ${file}: ${reason}`);
}
