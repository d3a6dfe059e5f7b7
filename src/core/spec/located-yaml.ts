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
import { yamlNestingDepth } from "./yaml-nesting-depth.js";

/** The deepest nesting of maps and lists a config file may have. */
export const MAX_YAML_DEPTH = 64;
/**
 * The most values a document may hold once its aliases are expanded: ten levels of ten
 * aliases (700 bytes) would otherwise expand to ten billion values.
 */
export const MAX_YAML_VALUES = 100_000;

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

/** A problem with a document's structure found while converting it, at a position. */
class YamlLimitError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** A converted node and how many values it holds with its aliases expanded. */
interface Converted {
  readonly located: Located;
  readonly values: number;
}

/**
 * Converts one document. An anchored node is converted once and shared by its aliases, so
 * the work is linear in the text; what it would expand to is counted and bounded
 * (MAX_YAML_VALUES), as are depth and aliases to a node from inside it (a cycle).
 */
class Converter {
  readonly #done = new Map<Node, Converted>();
  readonly #open = new Set<Node>();

  constructor(
    readonly doc: Document,
    readonly lines: LineCounter,
  ) {}

  convert(node: unknown, depth: number): Converted {
    const offset = (node as Node | undefined)?.range?.[0] ?? 0;
    if (depth > MAX_YAML_DEPTH) {
      throw new YamlLimitError(offset, `nested more than ${MAX_YAML_DEPTH} levels deep`);
    }
    const target = isAlias(node) ? node.resolve(this.doc) : node;
    if (target === undefined || target === null) return this.#scalar(offset, null);
    const known = this.#done.get(target as Node);
    if (known !== undefined) return known;
    if (this.#open.has(target as Node)) {
      const name = isAlias(node) ? ` *${node.source}` : "";
      throw new YamlLimitError(offset, `the alias${name} refers to a node that contains it`);
    }
    this.#open.add(target as Node);
    const converted = this.#convertTarget(target, depth);
    this.#open.delete(target as Node);
    if (converted.values > MAX_YAML_VALUES) {
      throw new YamlLimitError(
        offset,
        `holds more than ${MAX_YAML_VALUES} values once its aliases are expanded`,
      );
    }
    this.#done.set(target as Node, converted);
    return converted;
  }

  #scalar(offset: number, value: unknown): Converted {
    return { located: { kind: "scalar", pos: at(this.lines, offset), value }, values: 1 };
  }

  #convertTarget(target: unknown, depth: number): Converted {
    const offset = (target as Node | undefined)?.range?.[0] ?? 0;
    const pos = at(this.lines, offset);
    let values = 1;
    if (isMap(target)) {
      const entries = new Map<string, { keyPos: Position; value: Located }>();
      for (const pair of target.items) {
        const keyNode = pair.key;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const keyOffset = (keyNode as Node | undefined)?.range?.[0] ?? offset;
        const value =
          pair.value === null || pair.value === undefined
            ? this.#scalar(keyOffset, null)
            : this.convert(pair.value, depth + 1);
        values += value.values;
        entries.set(key, { keyPos: at(this.lines, keyOffset), value: value.located });
      }
      return { located: { kind: "map", pos, entries }, values };
    }
    if (isSeq(target)) {
      const items = target.items.map((item) => {
        const value = this.convert(item, depth + 1);
        values += value.values;
        return value.located;
      });
      return { located: { kind: "seq", pos, items }, values };
    }
    return this.#scalar(offset, isScalar(target) ? target.value : null);
  }
}

/**
 * Parses every document of a YAML stream into Located trees, keeping syntax errors apart.
 * Nesting deeper than MAX_YAML_DEPTH, alias cycles and alias expansions beyond
 * MAX_YAML_VALUES are syntax errors at their position, found in milliseconds.
 */
export function parseLocatedYaml(text: string): LocatedDocument[] {
  const lines = new LineCounter();
  const tooDeep = yamlNestingDepth(text, MAX_YAML_DEPTH);
  if (tooDeep !== undefined) {
    // Line positions come from the parser: count them here without it.
    const before = text.slice(0, tooDeep);
    const line = before.split("\n").length;
    const pos = { line, column: tooDeep - before.lastIndexOf("\n") };
    const message = `nested more than ${MAX_YAML_DEPTH} levels deep`;
    return [{ pos: { line: 1, column: 1 }, root: undefined, syntaxErrors: [{ pos, message }] }];
  }
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  return list.map((doc) => {
    const syntaxErrors = doc.errors.map((error) => ({
      pos: at(lines, error.pos[0]),
      message: error.message.split("\n")[0] ?? error.message,
    }));
    const start = at(lines, doc.range[0]);
    if (syntaxErrors.length > 0 || doc.contents === null) {
      return { pos: start, root: undefined, syntaxErrors };
    }
    try {
      const root = new Converter(doc, lines).convert(doc.contents, 0).located;
      return { pos: start, root, syntaxErrors };
    } catch (error) {
      if (!(error instanceof YamlLimitError)) throw error;
      const pos = at(lines, error.offset);
      return { pos: start, root: undefined, syntaxErrors: [{ pos, message: error.message }] };
    }
  });
}
