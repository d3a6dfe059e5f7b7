import { readFile } from "node:fs/promises";
import type { Diagnostic } from "../core/spec/diagnostic.js";
import { unreadable } from "./unreadable.js";

/**
 * Reads config files in order and parses each with `parse`, then checks the whole set with
 * `checkSet` (names unique across files). Unreadable files raise INPUT_UNREADABLE.
 */
export async function loadConfigDocuments<T>(
  files: readonly string[],
  parse: (
    text: string,
    file: string,
  ) => { items: readonly T[]; diagnostics: readonly Diagnostic[] },
  checkSet: (items: readonly T[]) => Diagnostic[],
): Promise<{ items: T[]; diagnostics: Diagnostic[] }> {
  const items: T[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw unreadable(file, error);
    }
    const parsed = parse(text, file);
    items.push(...parsed.items);
    diagnostics.push(...parsed.diagnostics);
  }
  diagnostics.push(...checkSet(items));
  return { items, diagnostics };
}
