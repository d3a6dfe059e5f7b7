import type { TokenScope } from "../core/policy/token-scope.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { type Located, parseLocatedYaml } from "../core/spec/located-yaml.js";
import type { RateLimit } from "./rate-limiter.js";
import { type ApiToken, ROLES, type Role } from "./server-config.js";

const TOKEN_FIELDS = new Set(["name", "role", "token", "scope", "rateLimit"]);
const SCOPE_FIELDS = new Set(["models", "environments", "labels"]);

class TokenFileProblems {
  readonly list: string[] = [];
  constructor(readonly file: string) {}
  add(node: Located, path: string, message: string): void {
    this.list.push(`${this.file}:${node.pos.line}:${node.pos.column}: ${path}: ${message}`);
  }
}

function text(node: Located | undefined, path: string, problems: TokenFileProblems): string {
  if (node?.kind === "scalar" && typeof node.value === "string" && node.value !== "") {
    return node.value;
  }
  if (node === undefined) return "";
  problems.add(node, path, "must be a non-empty string");
  return "";
}

function texts(node: Located, path: string, problems: TokenFileProblems): string[] {
  const items = node.kind === "seq" ? node.items : [node];
  return items.map((item, i) => text(item, node.kind === "seq" ? `${path}[${i}]` : path, problems));
}

function fields(
  node: Located,
  path: string,
  known: Set<string>,
  problems: TokenFileProblems,
): ReadonlyMap<string, Located> {
  if (node.kind !== "map") {
    problems.add(node, path, "must be a mapping");
    return new Map();
  }
  const out = new Map<string, Located>();
  for (const [key, { keyPos, value }] of node.entries) {
    if (known.has(key)) out.set(key, value);
    else {
      problems.add({ kind: "scalar", pos: keyPos, value: key }, `${path}.${key}`, "unknown field");
    }
  }
  return out;
}

function scope(node: Located, path: string, problems: TokenFileProblems): TokenScope {
  const map = fields(node, path, SCOPE_FIELDS, problems);
  const models = map.get("models");
  const environments = map.get("environments");
  const labels = map.get("labels");
  const labelMap: Record<string, readonly string[]> = {};
  if (labels !== undefined) {
    if (labels.kind !== "map") problems.add(labels, `${path}.labels`, "must be a mapping");
    else {
      for (const [key, { value }] of labels.entries) {
        labelMap[key] = texts(value, `${path}.labels.${key}`, problems);
      }
    }
  }
  return {
    ...(models === undefined ? {} : { models: texts(models, `${path}.models`, problems) }),
    ...(environments === undefined
      ? {}
      : { environments: texts(environments, `${path}.environments`, problems) }),
    ...(labels === undefined ? {} : { labels: labelMap }),
  };
}

function rateLimit(node: Located, path: string, problems: TokenFileProblems): RateLimit {
  const map = fields(node, path, new Set(["perSecond", "burst"]), problems);
  const number = (key: string): number => {
    const value = map.get(key);
    if (value === undefined) return Number.NaN;
    if (value.kind === "scalar" && typeof value.value === "number" && value.value > 0) {
      return value.value;
    }
    problems.add(value, `${path}.${key}`, "must be a number > 0");
    return Number.NaN;
  };
  const perSecond = number("perSecond");
  if (!map.has("perSecond")) problems.add(node, `${path}.perSecond`, "is required");
  const burst = map.has("burst") ? number("burst") : Math.max(1, perSecond);
  return { perSecond, burst };
}

/**
 * Reads a token file (YAML): `tokens:` a list of `{name, role, token, scope?, rateLimit?}`.
 * Every problem is reported as `file:line:column: path: message`, and none reveals a secret.
 */
export function parseTokenFile(source: string, file: string): ApiToken[] {
  const problems = new TokenFileProblems(file);
  const docs = parseLocatedYaml(source);
  const doc = docs[0];
  const syntax = docs.flatMap((d) => d.syntaxErrors);
  if (syntax.length > 0 || doc?.root === undefined) {
    const first = syntax[0];
    throw new DeploysloError(
      "CONFIG_INVALID",
      first === undefined
        ? `${file}: the token file is empty`
        : `${file}:${first.pos.line}:${first.pos.column}: YAML syntax: ${first.message}`,
    );
  }
  const list = fields(doc.root, "", new Set(["tokens"]), problems).get("tokens");
  const tokens: ApiToken[] = [];
  if (list === undefined) problems.add(doc.root, "tokens", "is required");
  else if (list.kind !== "seq") problems.add(list, "tokens", "must be a list");
  else {
    for (const [i, item] of list.items.entries()) {
      const path = `tokens[${i}]`;
      const map = fields(item, path, TOKEN_FIELDS, problems);
      const name = text(map.get("name"), `${path}.name`, problems);
      const role = text(map.get("role"), `${path}.role`, problems);
      const token = text(map.get("token"), `${path}.token`, problems);
      for (const key of ["name", "role", "token"]) {
        if (!map.has(key)) problems.add(item, `${path}.${key}`, "is required");
      }
      const roleNode = map.get("role");
      if (roleNode !== undefined && role !== "" && !ROLES.includes(role as Role)) {
        problems.add(roleNode, `${path}.role`, `must be one of ${ROLES.join(", ")}`);
      }
      const tokenNode = map.get("token");
      if (tokenNode !== undefined && token !== "" && token.length < 16) {
        problems.add(tokenNode, `${path}.token`, "is shorter than 16 characters");
      }
      const scopeNode = map.get("scope");
      const rateNode = map.get("rateLimit");
      tokens.push({
        name,
        role: role as Role,
        token,
        ...(scopeNode === undefined ? {} : { scope: scope(scopeNode, `${path}.scope`, problems) }),
        ...(rateNode === undefined
          ? {}
          : { rateLimit: rateLimit(rateNode, `${path}.rateLimit`, problems) }),
      });
    }
  }
  if (problems.list.length > 0) {
    throw new DeploysloError(
      "CONFIG_INVALID",
      `${problems.list.length} problem(s) in the token file ${file}`,
      problems.list,
    );
  }
  return tokens;
}
