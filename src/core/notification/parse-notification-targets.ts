import type { Diagnostic } from "../spec/diagnostic.js";
import { type Located, parseLocatedYaml } from "../spec/located-yaml.js";
import { API_VERSION } from "../spec/parse-slo-specs.js";
import {
  describeNode,
  durationValue,
  fieldNode,
  type LocatedMap,
  mappingNode,
  parseMetadata,
  repeatedNames,
  SpecReport,
  stringMapValue,
  textValue,
} from "../spec/spec-fields.js";
import {
  DEFAULT_TARGET_TIMEOUT_MS,
  type EnvReference,
  MAX_TARGET_TIMEOUT_MS,
  type NotificationTarget,
  TARGET_TYPES,
  type TargetType,
  type UrlSource,
} from "./notification-target.js";

export const TARGET_KIND = "NotificationTarget";
const TARGET_NAME = {
  pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
  description:
    "1–63 lowercase letters, digits or dashes, starting and ending with a letter or digit",
};
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const COMMON_FIELDS = ["type", "url", "labels", "timeout", "serviceUrl"] as const;
/** Fields only some types take, and which. */
const TYPE_FIELDS: Readonly<Record<string, readonly TargetType[]>> = {
  secret: ["webhook"],
  routingKey: ["pagerduty"],
};

export interface TargetParse {
  readonly targets: readonly NotificationTarget[];
  readonly diagnostics: readonly Diagnostic[];
}

function httpUrl(node: Located, path: string, report: SpecReport): string | undefined {
  const raw = textValue(node, path, report);
  if (raw === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    report.error(node, path, `must be an http:// or https:// URL, got ${describeNode(node)}`);
    return undefined;
  }
  return raw;
}

function envReference(
  node: Located,
  path: string,
  what: string,
  report: SpecReport,
): EnvReference | undefined {
  if (node.kind !== "map") {
    report.error(
      node,
      path,
      `${what} must not be written in the file: give the environment variable that holds it, {env: VARIABLE}`,
    );
    return undefined;
  }
  const map = mappingNode(node, path, ["env"], report);
  const envNode = fieldNode(map, "env");
  if (envNode === undefined) {
    report.error(node, `${path}.env`, "is required: the environment variable's name");
    return undefined;
  }
  const env = textValue(envNode, `${path}.env`, report);
  if (env === undefined) return undefined;
  if (!ENV_NAME.test(env)) {
    report.error(envNode, `${path}.env`, `"${env}" is not an environment variable name`);
    return undefined;
  }
  return { env };
}

function urlSource(node: Located, type: TargetType, report: SpecReport): UrlSource | undefined {
  if (node.kind === "map") return envReference(node, "spec.url", "the URL", report);
  const url = httpUrl(node, "spec.url", report);
  if (url === undefined) return undefined;
  if (type === "slack") {
    report.warning(
      node,
      "spec.url",
      "a Slack webhook URL is a secret: prefer url: {env: VARIABLE} to keeping it in the file",
    );
  }
  return { url };
}

/** A target's spec without the document's name and place, still one type of the union. */
type TargetSpec = NotificationTarget extends infer T
  ? T extends NotificationTarget
    ? Omit<T, "name" | "source">
    : never
  : never;

function parseTargetSpec(specNode: Located, report: SpecReport): TargetSpec | undefined {
  const known = [...COMMON_FIELDS, ...Object.keys(TYPE_FIELDS)];
  const spec = mappingNode(specNode, "spec", known, report);
  if (spec === undefined) return undefined;
  const typeNode = fieldNode(spec, "type");
  if (typeNode === undefined) {
    report.error(spec, "spec.type", `is required: one of ${TARGET_TYPES.join(", ")}`);
    return undefined;
  }
  const type = TARGET_TYPES.find((t) => typeNode.kind === "scalar" && typeNode.value === t);
  if (type === undefined) {
    report.error(
      typeNode,
      "spec.type",
      `must be one of ${TARGET_TYPES.join(", ")}, got ${describeNode(typeNode)}`,
    );
    return undefined;
  }
  for (const [key, types] of Object.entries(TYPE_FIELDS)) {
    const entry = spec.entries.get(key);
    if (entry !== undefined && !types.includes(type)) {
      report.error(entry.keyPos, `spec.${key}`, `is only for ${types.join(", ")} targets`);
    }
  }

  const urlNode = fieldNode(spec, "url");
  let url: UrlSource | null | undefined = null;
  if (urlNode !== undefined) url = urlSource(urlNode, type, report);
  else if (type !== "pagerduty") {
    report.error(spec, "spec.url", "is required: where to send notifications");
    url = undefined;
  }

  let secret: EnvReference | null | undefined = null;
  const secretNode = fieldNode(spec, "secret");
  if (type === "webhook") {
    if (secretNode === undefined) {
      report.warning(
        spec,
        "spec.secret",
        "no secret: bodies go unsigned, so the receiver cannot tell them from forgeries",
      );
    } else secret = envReference(secretNode, "spec.secret", "the secret", report);
  }

  let routingKey: EnvReference | null | undefined = null;
  const routingKeyNode = fieldNode(spec, "routingKey");
  if (type === "pagerduty") {
    if (routingKeyNode === undefined) {
      report.error(
        spec,
        "spec.routingKey",
        "is required: {env: VARIABLE} holding the Events API v2 integration key",
      );
      routingKey = undefined;
    } else routingKey = envReference(routingKeyNode, "spec.routingKey", "the routing key", report);
  }

  let timeoutMs: number | undefined = DEFAULT_TARGET_TIMEOUT_MS;
  const timeoutNode = fieldNode(spec, "timeout");
  if (timeoutNode !== undefined) {
    timeoutMs = durationValue(timeoutNode, "spec.timeout", report);
    if (timeoutMs !== undefined && (timeoutMs < 100 || timeoutMs > MAX_TARGET_TIMEOUT_MS)) {
      report.error(timeoutNode, "spec.timeout", "must be from 100ms to 60s");
      timeoutMs = undefined;
    }
  }

  let serviceUrl: string | null | undefined = null;
  const serviceUrlNode = fieldNode(spec, "serviceUrl");
  if (serviceUrlNode !== undefined) {
    serviceUrl = httpUrl(serviceUrlNode, "spec.serviceUrl", report);
  }

  const labels = stringMapValue(fieldNode(spec, "labels"), "spec.labels", report);
  if (timeoutMs === undefined || serviceUrl === undefined) return undefined;
  const common = {
    labels,
    timeoutMs,
    serviceUrl: serviceUrl === null ? null : serviceUrl.replace(/\/+$/, ""),
  };
  switch (type) {
    case "webhook":
      return url && secret !== undefined ? { type, url, secret, ...common } : undefined;
    case "pagerduty":
      return url !== undefined && routingKey ? { type, url, routingKey, ...common } : undefined;
    default:
      return url ? { type, url, ...common } : undefined;
  }
}

function parseDocument(root: LocatedMap, report: SpecReport): NotificationTarget | undefined {
  mappingNode(root, "", ["apiVersion", "kind", "metadata", "spec"], report);
  const apiVersion = fieldNode(root, "apiVersion");
  if (apiVersion === undefined)
    report.error(root, "apiVersion", `is required: apiVersion: ${API_VERSION}`);
  else if (apiVersion.kind !== "scalar" || apiVersion.value !== API_VERSION) {
    report.error(
      apiVersion,
      "apiVersion",
      `must be ${API_VERSION}, got ${describeNode(apiVersion)}`,
    );
  }
  const { name } = parseMetadata(root, report, TARGET_NAME, false);
  const specNode = fieldNode(root, "spec");
  if (specNode === undefined) {
    report.error(root, "spec", "is required (spec.type and spec.url)");
    return undefined;
  }
  const spec = parseTargetSpec(specNode, report);
  if (name === undefined || spec === undefined) return undefined;
  const target: NotificationTarget = {
    name,
    ...spec,
    source: { file: report.file, line: root.pos.line },
  };
  return Object.freeze(target);
}

/**
 * Parses the `kind: NotificationTarget` documents of a multi-document YAML file; documents of
 * other kinds (SLOs) are left to their own parser. Returns the valid targets and every
 * diagnostic with file:line:column and field path; a document with an error yields no target.
 */
export function parseNotificationTargets(source: string, file: string): TargetParse {
  const report = new SpecReport(file);
  const targets: NotificationTarget[] = [];
  for (const doc of parseLocatedYaml(source)) {
    // YAML syntax errors are the SLO parser's to report: the same file goes through both.
    const root = doc.root;
    if (root === undefined || root.kind !== "map") continue;
    const kind = root.entries.get("kind")?.value;
    if (kind === undefined || kind.kind !== "scalar" || kind.value !== TARGET_KIND) continue;
    const errorsBefore = report.errorCount();
    const target = parseDocument(root, report);
    if (target !== undefined && report.errorCount() === errorsBefore) targets.push(target);
  }
  const byPosition = [...report.diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  return { targets, diagnostics: byPosition };
}

/** Checks rules across files: target names are unique. */
export function checkTargetSet(targets: readonly NotificationTarget[]): Diagnostic[] {
  return repeatedNames(
    targets,
    (target, first) =>
      `notification target "${target.name}" is already defined at ${first.source.file}:${first.source.line}`,
  );
}
