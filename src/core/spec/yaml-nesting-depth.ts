/**
 * Where a YAML text first nests deeper than `limit`, as an offset, or undefined. A cheap
 * over-estimate, made before the YAML parser sees the text: the parser recurses once per
 * level, and 20,000 levels (`[[[…]]]`, 40 KB) take it seconds and can exhaust the heap.
 * Counts flow brackets outside quotes and comments, plus the block sequence and mapping
 * indicators that open a line (`- - - x`), plus half the indentation.
 */
export function yamlNestingDepth(text: string, limit: number): number | undefined {
  let flow = 0;
  let lineStart = true;
  let indent = 0;
  let indicators = 0;
  let quote = "";
  let previous = "\n";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== "") {
      if (c === quote) quote = "";
      else if (c === "\\" && quote === '"') i++;
      previous = c;
      continue;
    }
    if (c === "\n") {
      lineStart = true;
      indent = 0;
      indicators = 0;
      previous = c;
      continue;
    }
    if (lineStart) {
      const next = text[i + 1];
      const opensBlock = (c === "-" || c === "?") && (next === " " || next === "\n");
      if (c === " ") indent++;
      else if (opensBlock) {
        indicators++;
        indent++;
      } else lineStart = false;
    }
    if (c === "#" && (previous === " " || previous === "\n" || previous === "\t")) {
      const end = text.indexOf("\n", i);
      i = (end === -1 ? text.length : end) - 1;
      continue;
    }
    if ((c === '"' || c === "'") && (flow > 0 || /[\s:,[{-]/.test(previous))) quote = c;
    else if (c === "[" || c === "{") flow++;
    else if ((c === "]" || c === "}") && flow > 0) flow--;
    if (flow + indicators + Math.floor(indent / 2) > limit) return i;
    previous = c;
  }
  return undefined;
}
