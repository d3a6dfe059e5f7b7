import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
} from "yaml";

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A YAML value with the position it was written at, so every diagnostic can point at it. */
export type Located =
  | {
      readonly kind: "map";
      readonly pos: Position;
      readonly entries: ReadonlyMap<string, { readonly keyPos: Position; readonly value: Located }>;
    }
  | { readonly kind: "seq"; readonly pos: Position; readonly items: readonly Located[] }
  | { readonly kind: "scalar"; readonly pos: Position; readonly value: unknown };

export interface LocatedDocument {
  readonly pos: Position;
  readonly root: Located | undefined;
  readonly syntaxErrors: readonly { readonly pos: Position; readonly message: string }[];
}

function at(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function convert(node: unknown, doc: Document, lines: LineCounter): Located {
  const target = isAlias(node) ? node.resolve(doc) : node;
  const offset = (target as Node | undefined)?.range?.[0] ?? 0;
  const pos = at(lines, offset);
  if (isMap(target)) {
    const entries = new Map<string, { keyPos: Position; value: Located }>();
    for (const pair of target.items) {
      const keyNode = pair.key;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const keyOffset = (keyNode as Node | undefined)?.range?.[0] ?? offset;
      const valueLocated =
        pair.value === null || pair.value === undefined
          ? { kind: "scalar" as const, pos: at(lines, keyOffset), value: null }
          : convert(pair.value, doc, lines);
      entries.set(key, { keyPos: at(lines, keyOffset), value: valueLocated });
    }
    return { kind: "map", pos, entries };
  }
  if (isSeq(target)) {
    return { kind: "seq", pos, items: target.items.map((item) => convert(item, doc, lines)) };
  }
  if (isScalar(target)) return { kind: "scalar", pos, value: target.value };
  return { kind: "scalar", pos, value: null };
}

/** Parses every document of a YAML stream into Located trees, keeping syntax errors apart. */
export function parseLocatedYaml(text: string): LocatedDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  return list.map((doc) => {
    const syntaxErrors = doc.errors.map((error) => ({
      pos: at(lines, error.pos[0]),
      message: error.message.split("\n")[0] ?? error.message,
    }));
    const start = at(lines, doc.range[0]);
    const root =
      syntaxErrors.length > 0 || doc.contents === null
        ? undefined
        : convert(doc.contents, doc, lines);
    return { pos: start, root, syntaxErrors };
  });
}
