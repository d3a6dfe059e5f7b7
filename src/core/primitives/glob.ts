/**
 * Compiles a glob with `*` (any run of characters, including none) and `?` (exactly one
 * character) into an anchored RegExp; every other character matches itself.
 *
 * @example globToRegExp("fraud-*").test("fraud-detector") === true
 */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (const ch of glob) {
    if (ch === "*") source += ".*";
    else if (ch === "?") source += ".";
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}
