import type { CliIo } from "./cli-io.js";

export interface Style {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) =>
  `\u001b[${open}m${text}\u001b[${close}m`;
const COLOR: Style = {
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};
const identity = (text: string) => text;
const PLAIN: Style = {
  red: identity,
  green: identity,
  yellow: identity,
  dim: identity,
  bold: identity,
};

/**
 * Colour when the stream is a terminal, unless NO_COLOR is set (no-color.org) or --no-color
 * was given; FORCE_COLOR=1 forces it on (for CI logs that render ANSI).
 */
export function styleFor(
  stream: CliIo["stdout"],
  env: CliIo["env"],
  option: boolean | undefined,
): Style {
  if (option === false) return PLAIN;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return COLOR;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return PLAIN;
  return stream.isTTY === true ? COLOR : PLAIN;
}

/** Visible width of text that may hold ANSI colour codes. */
export function visibleWidth(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes
  return [...text.replace(/\u001b\[[0-9;]*m/g, "")].length;
}
