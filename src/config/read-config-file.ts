import { readFile } from "node:fs/promises";
import { unreadable } from "./unreadable.js";

/** A config file's text; INPUT_UNREADABLE naming the file and why when it cannot be read. */
export async function readConfigFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw unreadable(file, error);
  }
}
