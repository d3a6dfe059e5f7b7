import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** Lines a function may span, braces included: longer ones hide their steps. */
const MAX_LINES = 100;

const ROOT = join(import.meta.dirname, "..");

/**
 * Dashboard views still waiting to be split into components, as `path name` (no line: edits
 * above a function move it). Empty since the views were split; an entry that no longer
 * exceeds the limit fails the test, so the set cannot go stale.
 */
const PENDING_WEB_SPLIT: ReadonlySet<string> = new Set<string>([]);

function sourceFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path, pattern);
    return pattern.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function nameOf(node: ts.Node, source: ts.SourceFile): string {
  if (
    (ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isFunctionExpression(node)) &&
    node.name !== undefined
  )
    return node.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))
    return parent.name.getText(source);
  if (ts.isPropertyDeclaration(parent)) return parent.name.getText(source);
  return "(anonymous)";
}

/** Every function, method, accessor and arrow of a file longer than MAX_LINES. */
function longFunctions(file: string, text = readFileSync(file, "utf8")): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_LINES)
        found.push(`${relative(ROOT, file)}:${start + 1} ${nameOf(node, source)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `path:line name (n lines)` as `path name`. */
const pendingKey = (entry: string) => entry.replace(/:\d+ /, " ").replace(/ \(\d+ lines\)$/, "");

describe(`no function over ${MAX_LINES} lines`, () => {
  it("src/**/*.ts", () => {
    const files = sourceFiles(join(ROOT, "src"), /\.ts$/);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((file) => longFunctions(file))).toEqual([]);
  });

  it("web/src/**/*.tsx, apart from the views still being split", () => {
    const files = sourceFiles(join(ROOT, "web/src"), /\.tsx?$/);
    expect(files.length).toBeGreaterThan(5);
    const long = files.flatMap((file) => longFunctions(file));
    expect(long.filter((entry) => !PENDING_WEB_SPLIT.has(pendingKey(entry)))).toEqual([]);
    const done = [...PENDING_WEB_SPLIT].filter(
      (pending) => !long.some((entry) => pendingKey(entry) === pending),
    );
    expect(done, "split already: remove from PENDING_WEB_SPLIT").toEqual([]);
  });

  it("finds a long arrow function and names it with its line", () => {
    const body = Array.from({ length: MAX_LINES - 1 }, (_, i) => `  const v${i} = ${i};`);
    const text = (lines: string[]) =>
      `// header\nexport const big = () => {\n${lines.join("\n")}\n};\n`;
    expect(longFunctions(join(ROOT, "x.ts"), text(body.slice(1)))).toEqual([]);
    expect(longFunctions(join(ROOT, "x.ts"), text(body))).toEqual([
      `x.ts:2 big (${MAX_LINES + 1} lines)`,
    ]);
  });
});
