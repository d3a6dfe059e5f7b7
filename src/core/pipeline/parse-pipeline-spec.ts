import { STAGE_KINDS, type StageKind } from "../attempt/attempt.js";
import { parseTemplate, type Template, templateStages } from "../primitives/template.js";
import type { Diagnostic } from "../spec/diagnostic.js";
import type { Located, Position } from "../spec/located-yaml.js";
import { parseLocatedYaml } from "../spec/located-yaml.js";
import { API_VERSION } from "../spec/parse-slo-specs.js";
import {
  describeNode as describe,
  durationValue as duration,
  fieldNode as field,
  joinPath as join,
  type LocatedMap,
  mappingNode as mapping,
  parseMetadata,
  SpecReport as Report,
  textValue as text,
} from "../spec/spec-fields.js";
import { parseCanary } from "./parse-canary.js";
import {
  type FieldEquals,
  type Pipeline,
  type PipelineAction,
  type PipelineStage,
  PROBE_PROTOCOLS,
  type ProbeProtocol,
  type ServingProbe,
  THRESHOLD_ACTIONS,
  type ThresholdAction,
} from "./pipeline.js";
import { httpUrl, optionalDuration, plain, template } from "./pipeline-fields.js";

export interface PipelineParse {
  readonly pipeline: Pipeline | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

const PIPELINE_NAME = {
  pattern: /^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$/,
  description: "1–63 lowercase letters, digits or dashes",
};
const SHA256 = /^[0-9a-f]{64}$/;
const MINUTE = 60_000;
const DEFAULT_STAGE_TIMEOUT_MS = 10 * MINUTE;
const DEFAULT_ATTEMPT_TIMEOUT_MS = 30 * MINUTE;
const DEFAULT_RETRY_DELAY_MS = 1000;
const DEFAULT_HTTP_INTERVAL_MS = 1000;
const DEFAULT_PROBE_INTERVAL_MS = 250;
const DEFAULT_PROBE_TIMEOUT_MS = 5 * MINUTE;
const MAX_RETRIES = 10;
/** The span the runner records for the serving probe. */
export const PROBE_STAGE_NAME = "first-inference";
const VERSION_TEMPLATE: Template = {
  source: `\${VERSION}`,
  parts: [{ ref: "attempt", name: "VERSION" }],
};
const ACTIONS = ["run", "http", "checksum", "canary"] as const;
const STAGE_FIELDS = [
  ...ACTIONS,
  "name",
  "needs",
  "kind",
  "timeout",
  "retries",
  "retryDelay",
] as const;

function method(node: Located | undefined, path: string, report: Report): "GET" | "POST" {
  if (node === undefined) return "GET";
  if (node.kind === "scalar" && (node.value === "GET" || node.value === "POST")) return node.value;
  report.error(node, path, `must be GET or POST, got ${describe(node)}`);
  return "GET";
}

function fieldEquals(node: Located | undefined, path: string, report: Report): FieldEquals | null {
  const map = mapping(node, path, ["field", "equals"], report);
  if (map === undefined) return null;
  const fieldNode = field(map, "field");
  const equalsNode = field(map, "equals");
  if (fieldNode === undefined) report.error(map, join(path, "field"), "is required (e.g. ready)");
  if (equalsNode === undefined)
    report.error(map, join(path, "equals"), `is required (e.g. true or \${VERSION})`);
  const name = text(fieldNode, join(path, "field"), report);
  const equals = template(equalsNode, join(path, "equals"), report);
  return name === undefined || equals === undefined ? null : { field: name, equals };
}

function parseHttp(node: Located, path: string, report: Report): PipelineAction | undefined {
  const map = mapping(node, path, ["url", "method", "body", "status", "json", "interval"], report);
  if (map === undefined) return undefined;
  const url = httpUrl(field(map, "url"), join(path, "url"), report, map.pos);
  const statusNode = field(map, "status");
  let status = 200;
  if (statusNode !== undefined) {
    const value = statusNode.kind === "scalar" ? statusNode.value : undefined;
    if (typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599)
      status = value;
    else
      report.error(
        statusNode,
        join(path, "status"),
        `must be an HTTP status 100–599, got ${describe(statusNode)}`,
      );
  }
  const bodyNode = field(map, "body");
  const action: PipelineAction = {
    type: "http",
    url: url ?? { source: "", parts: [] },
    method: method(field(map, "method"), join(path, "method"), report),
    body: bodyNode === undefined ? null : plain(bodyNode),
    status,
    json:
      field(map, "json") === undefined
        ? null
        : fieldEquals(field(map, "json"), join(path, "json"), report),
    intervalMs: optionalDuration(
      field(map, "interval"),
      join(path, "interval"),
      DEFAULT_HTTP_INTERVAL_MS,
      report,
    ),
  };
  return url === undefined ? undefined : action;
}

function parseChecksum(node: Located, path: string, report: Report): PipelineAction | undefined {
  const map = mapping(node, path, ["file", "url", "sha256", "sha256File"], report);
  if (map === undefined) return undefined;
  const fileNode = field(map, "file");
  const urlNode = field(map, "url");
  const shaNode = field(map, "sha256");
  const shaFileNode = field(map, "sha256File");
  if ((fileNode === undefined) === (urlNode === undefined)) {
    report.error(map, path, "give either file (a path) or url, one of them");
    return undefined;
  }
  if ((shaNode === undefined) === (shaFileNode === undefined)) {
    report.error(map, path, "give either sha256 (the expected digest) or sha256File, one of them");
    return undefined;
  }
  const file =
    fileNode === undefined ? null : (template(fileNode, join(path, "file"), report) ?? null);
  const url =
    urlNode === undefined ? null : (httpUrl(urlNode, join(path, "url"), report, map.pos) ?? null);
  const sha256 =
    shaNode === undefined ? null : (template(shaNode, join(path, "sha256"), report) ?? null);
  if (sha256 !== null && shaNode !== undefined && sha256.parts.every((p) => "text" in p)) {
    if (!SHA256.test(sha256.source.toLowerCase())) {
      report.error(shaNode, join(path, "sha256"), "must be 64 hexadecimal digits");
      return undefined;
    }
  }
  const sha256File =
    shaFileNode === undefined
      ? null
      : (template(shaFileNode, join(path, "sha256File"), report) ?? null);
  if (file === null && url === null) return undefined;
  if (sha256 === null && sha256File === null) return undefined;
  return { type: "checksum", file, url, sha256, sha256File };
}

function parseNeeds(node: Located | undefined, path: string, report: Report): string[] {
  if (node === undefined) return [];
  const items = node.kind === "seq" ? node.items : [node];
  const needs: string[] = [];
  items.forEach((item, i) => {
    const name = text(item, node.kind === "seq" ? `${path}[${i}]` : path, report);
    if (name !== undefined) needs.push(name);
  });
  return needs;
}

function parseKind(node: Located | undefined, path: string, report: Report): StageKind {
  if (node === undefined) return "active";
  if (node.kind === "scalar" && (STAGE_KINDS as readonly unknown[]).includes(node.value))
    return node.value as StageKind;
  report.error(node, path, `must be active or wait, got ${describe(node)}`);
  return "active";
}

function parseRetries(node: Located | undefined, path: string, report: Report): number {
  if (node === undefined) return 0;
  const value = node.kind === "scalar" ? node.value : undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_RETRIES)
    return value;
  report.error(
    node,
    path,
    `must be a whole number from 0 to ${MAX_RETRIES}, got ${describe(node)}`,
  );
  return 0;
}

interface StageDraft {
  readonly stage: PipelineStage;
  readonly node: LocatedMap;
  readonly path: string;
  /** Stage outputs its templates read, with where. */
  readonly reads: readonly string[];
}

function actionReads(action: PipelineAction): string[] {
  switch (action.type) {
    case "run":
      return [];
    case "http":
      return [
        ...templateStages(action.url),
        ...(action.json === null ? [] : templateStages(action.json.equals)),
      ];
    case "checksum":
      return [action.file, action.url, action.sha256, action.sha256File].flatMap((t) =>
        t === null ? [] : templateStages(t),
      );
    case "canary": {
      const traffic =
        action.traffic.type === "switch" ? [action.traffic.admin, action.traffic.upstream] : [];
      return [
        ...traffic,
        action.url,
        ...(action.baseline === null ? [] : [action.baseline]),
      ].flatMap(templateStages);
    }
  }
}

function parseStage(node: Located, path: string, report: Report): StageDraft | undefined {
  const map = mapping(node, path, STAGE_FIELDS, report);
  if (map === undefined) return undefined;
  const nameNode = field(map, "name");
  let name: string | undefined;
  if (nameNode === undefined) report.error(map, join(path, "name"), "is required");
  else {
    name = text(nameNode, join(path, "name"), report);
    if (name !== undefined && !PIPELINE_NAME.pattern.test(name)) {
      report.error(
        nameNode,
        join(path, "name"),
        `"${name}" must be 1–63 lowercase letters, digits, dashes or underscores, starting and ending with a letter or digit`,
      );
      name = undefined;
    }
  }
  const given = ACTIONS.filter((key) => field(map, key) !== undefined);
  if (given.length !== 1) {
    report.error(
      map,
      path,
      given.length === 0
        ? "needs one action: run (a shell command), http (wait for a URL), checksum or canary"
        : `has ${given.join(" and ")}: give one action per stage`,
    );
    return undefined;
  }
  const timeoutMs = optionalDuration(
    field(map, "timeout"),
    join(path, "timeout"),
    DEFAULT_STAGE_TIMEOUT_MS,
    report,
  );
  const key = given[0] ?? "run";
  const actionNode = field(map, key) as Located;
  let action: PipelineAction | undefined;
  if (key === "run") {
    const command = text(actionNode, join(path, "run"), report);
    action = command === undefined ? undefined : { type: "run", command };
  } else if (key === "http") action = parseHttp(actionNode, join(path, "http"), report);
  else if (key === "checksum") action = parseChecksum(actionNode, join(path, "checksum"), report);
  else action = parseCanary(actionNode, join(path, "canary"), report, timeoutMs);
  const needs = parseNeeds(field(map, "needs"), join(path, "needs"), report);
  const kind = parseKind(field(map, "kind"), join(path, "kind"), report);
  const retries = parseRetries(field(map, "retries"), join(path, "retries"), report);
  const retryDelayMs = optionalDuration(
    field(map, "retryDelay"),
    join(path, "retryDelay"),
    DEFAULT_RETRY_DELAY_MS,
    report,
    {
      allowZero: true,
    },
  );
  if (name === undefined || action === undefined) return undefined;
  return {
    stage: { name, action, needs, kind, timeoutMs, retries, retryDelayMs, line: map.pos.line },
    node: map,
    path,
    reads: actionReads(action),
  };
}

/** Every stage a stage waits for, directly or not. */
function ancestorsOf(name: string, needs: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(needs.get(name) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(needs.get(next) ?? []));
  }
  return seen;
}

/** Finds one cycle, as a list of names that starts and ends with the same stage. */
function findCycle(needs: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const trail: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "visiting") return [...trail.slice(trail.indexOf(name)), name];
    state.set(name, "visiting");
    trail.push(name);
    for (const need of needs.get(name) ?? []) {
      const cycle = visit(need);
      if (cycle !== undefined) return cycle;
    }
    trail.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const name of needs.keys()) {
    const cycle = visit(name);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

/** Parses a list of stages and checks it is a DAG whose needs and output reads resolve. */
function parseStages(
  node: Located | undefined,
  path: string,
  report: Report,
  taken: Set<string>,
): PipelineStage[] {
  if (node === undefined) return [];
  if (node.kind !== "seq") {
    report.error(node, path, `must be a list of stages, got ${describe(node)}`);
    return [];
  }
  const drafts: StageDraft[] = [];
  node.items.forEach((item, i) => {
    const draft = parseStage(item, `${path}[${i}]`, report);
    if (draft === undefined) return;
    if (draft.stage.name === PROBE_STAGE_NAME) {
      report.error(
        field(draft.node, "name") ?? draft.node,
        join(draft.path, "name"),
        `"${PROBE_STAGE_NAME}" is the probe's span: choose another name`,
      );
      return;
    }
    if (taken.has(draft.stage.name)) {
      report.error(
        field(draft.node, "name") ?? draft.node,
        join(draft.path, "name"),
        `stage name "${draft.stage.name}" is used twice`,
      );
      return;
    }
    taken.add(draft.stage.name);
    drafts.push(draft);
  });
  const names = new Set(drafts.map((d) => d.stage.name));
  // A stage with errors of its own is still a name others may need: report it once.
  const written = new Set(
    node.items.flatMap((item) => {
      const name = item.kind === "map" ? item.entries.get("name")?.value : undefined;
      return name?.kind === "scalar" && typeof name.value === "string" ? [name.value] : [];
    }),
  );
  const needs = new Map<string, readonly string[]>();
  for (const draft of drafts) {
    const known = draft.stage.needs.filter((need) => names.has(need));
    for (const need of draft.stage.needs) {
      if (!written.has(need)) {
        report.error(
          field(draft.node, "needs") ?? draft.node,
          join(draft.path, "needs"),
          `needs "${need}", which is not a stage of this list (stages: ${[...names].join(", ")})`,
        );
      }
    }
    needs.set(draft.stage.name, known);
  }
  const cycle = findCycle(needs);
  if (cycle !== undefined) {
    report.error(node, path, `the needs form a cycle: ${cycle.join(" → ")}`);
    return [];
  }
  for (const draft of drafts) {
    const ancestors = ancestorsOf(draft.stage.name, needs);
    for (const stage of draft.reads) {
      if (!ancestors.has(stage) && stage !== draft.stage.name) {
        report.error(
          field(draft.node, draft.stage.action.type) ?? draft.node,
          join(draft.path, draft.stage.action.type),
          `reads an output of stage "${stage}", which it does not need (add it to needs)`,
        );
      }
    }
  }
  return drafts.map((d) => d.stage);
}

function parseProtocol(node: Located | undefined, path: string, report: Report, at: Position) {
  if (node === undefined) {
    report.error(at, path, `is required: ${PROBE_PROTOCOLS.join(", ")}`);
    return undefined;
  }
  if (node.kind === "scalar" && (PROBE_PROTOCOLS as readonly unknown[]).includes(node.value))
    return node.value as ProbeProtocol;
  report.error(node, path, `must be one of ${PROBE_PROTOCOLS.join(", ")}, got ${describe(node)}`);
  return undefined;
}

function parseServing(node: Located | undefined, report: Report): ServingProbe | null {
  const path = "spec.serving";
  const map = mapping(
    node,
    path,
    ["protocol", "url", "model", "request", "method", "field", "expect", "interval", "timeout"],
    report,
  );
  if (map === undefined) return null;
  const protocol = parseProtocol(field(map, "protocol"), join(path, "protocol"), report, map.pos);
  const url = httpUrl(field(map, "url"), join(path, "url"), report, map.pos);
  const modelNode = field(map, "model");
  const model =
    modelNode === undefined ? null : (template(modelNode, join(path, "model"), report) ?? null);
  const requestNode = field(map, "request");
  const methodNode = field(map, "method");
  const fieldNode = field(map, "field");
  if (protocol !== undefined && protocol !== "http") {
    if (modelNode === undefined)
      report.error(
        map,
        join(path, "model"),
        `is required for ${protocol}: the model name the server serves`,
      );
    for (const [key, value] of [
      ["method", methodNode],
      ["field", fieldNode],
    ] as const)
      if (value !== undefined)
        report.error(value, join(path, key), `is for the http protocol only`);
  }
  if (protocol === "open-inference-v2" && requestNode === undefined)
    report.error(
      map,
      join(path, "request"),
      "is required for open-inference-v2: an inference request with inputs the model accepts",
    );
  if (protocol === "openai" && requestNode !== undefined)
    report.error(
      requestNode,
      join(path, "request"),
      "is not used by openai: the probe sends a 1-token completion",
    );
  const expectNode = field(map, "expect");
  const expect =
    expectNode === undefined
      ? VERSION_TEMPLATE
      : template(expectNode, join(path, "expect"), report);
  const fieldName =
    fieldNode === undefined ? "version" : text(fieldNode, join(path, "field"), report);
  const probe = {
    protocol,
    url,
    model,
    request: requestNode === undefined ? null : plain(requestNode),
    method: method(methodNode, join(path, "method"), report),
    field: fieldName,
    expect,
    intervalMs: optionalDuration(
      field(map, "interval"),
      join(path, "interval"),
      DEFAULT_PROBE_INTERVAL_MS,
      report,
    ),
    timeoutMs: optionalDuration(
      field(map, "timeout"),
      join(path, "timeout"),
      DEFAULT_PROBE_TIMEOUT_MS,
      report,
    ),
  };
  if (
    probe.protocol === undefined ||
    probe.url === undefined ||
    probe.field === undefined ||
    probe.expect === undefined
  )
    return null;
  return probe as ServingProbe;
}

function parseEnv(node: Located | undefined, report: Report): Record<string, Template> {
  const path = "spec.env";
  const out: Record<string, Template> = {};
  if (node === undefined) return out;
  if (node.kind !== "map") {
    report.error(node, path, `must be a mapping of names to strings, got ${describe(node)}`);
    return out;
  }
  for (const [key, entry] of node.entries) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      report.error(
        entry.keyPos,
        join(path, key),
        "an environment variable name is letters, digits and _",
      );
      continue;
    }
    const value = template(entry.value, join(path, key), report);
    if (value === undefined) continue;
    if (templateStages(value).length > 0) {
      report.error(
        entry.value,
        join(path, key),
        "cannot read stage outputs: stages get them as STAGE_<NAME>_<KEY>",
      );
      continue;
    }
    out[key] = value;
  }
  return out;
}

function parseThresholdAction(node: Located | undefined, report: Report): ThresholdAction {
  if (node === undefined) return "continue";
  const value = node.kind === "scalar" ? node.value : undefined;
  const action = THRESHOLD_ACTIONS.find((a) => a === value);
  if (action !== undefined) return action;
  report.error(
    node,
    "spec.onThresholdExceeded",
    `must be ${THRESHOLD_ACTIONS.join(" or ")}, got ${describe(node)}`,
  );
  return "continue";
}

function parseDocument(root: Located, report: Report): Pipeline | undefined {
  const top = mapping(root, "", ["apiVersion", "kind", "metadata", "spec"], report);
  if (top === undefined) return undefined;
  const apiVersion = field(top, "apiVersion");
  const kind = field(top, "kind");
  if (apiVersion === undefined)
    report.error(top, "apiVersion", `is required: apiVersion: ${API_VERSION}`);
  else if (apiVersion.kind !== "scalar" || apiVersion.value !== API_VERSION)
    report.error(apiVersion, "apiVersion", `must be ${API_VERSION}, got ${describe(apiVersion)}`);
  if (kind === undefined || kind.kind !== "scalar" || kind.value !== "Pipeline") {
    report.error(
      kind ?? top,
      "kind",
      kind === undefined
        ? "is required: kind: Pipeline"
        : `must be Pipeline, got ${describe(kind)}`,
    );
    return undefined;
  }
  const { name, description } = parseMetadata(top, report, PIPELINE_NAME, false);
  const specNode = field(top, "spec");
  if (specNode === undefined) {
    report.error(top, "spec", "is required");
    return undefined;
  }
  const spec = mapping(
    specNode,
    "spec",
    ["timeout", "env", "stages", "serving", "onFailure", "onThresholdExceeded"],
    report,
  );
  if (spec === undefined) return undefined;
  const stagesNode = field(spec, "stages");
  if (stagesNode === undefined) report.error(spec, "spec.stages", "is required: a list of stages");
  const taken = new Set<string>();
  const stages = parseStages(stagesNode, "spec.stages", report, taken);
  const onFailure = parseStages(field(spec, "onFailure"), "spec.onFailure", report, taken);
  const servingNode = field(spec, "serving");
  if (servingNode === undefined)
    report.error(
      spec,
      "spec.serving",
      "is required: the first-inference probe that marks servingAt",
    );
  const serving = parseServing(servingNode, report);
  const known = new Set(stages.map((s) => s.name));
  for (const stage of serving === null
    ? []
    : [serving.url, serving.expect, ...(serving.model === null ? [] : [serving.model])].flatMap(
        templateStages,
      )) {
    if (!known.has(stage))
      report.error(
        field(spec, "serving") ?? spec,
        "spec.serving",
        `reads an output of "${stage}", which is not a stage`,
      );
  }
  const timeoutMs = optionalDuration(
    field(spec, "timeout"),
    "spec.timeout",
    DEFAULT_ATTEMPT_TIMEOUT_MS,
    report,
  );
  const env = parseEnv(field(spec, "env"), report);
  const onThresholdExceeded = parseThresholdAction(field(spec, "onThresholdExceeded"), report);
  if (name === undefined || stagesNode === undefined || serving === null) return undefined;
  return {
    name,
    description,
    timeoutMs,
    env,
    stages,
    onFailure,
    serving,
    onThresholdExceeded,
    source: { file: report.file, line: root.pos.line },
  };
}

/**
 * Parses a `kind: Pipeline` file (one document). Like the SLO specs, every diagnostic has
 * file:line:column and the field path, unknown fields are errors, and any error yields no
 * pipeline.
 */
export function parsePipelineSpec(source: string, file: string): PipelineParse {
  const report = new Report(file);
  const docs = parseLocatedYaml(source).filter(
    (doc) =>
      doc.syntaxErrors.length > 0 ||
      !(doc.root === undefined || (doc.root.kind === "scalar" && doc.root.value === null)),
  );
  let pipeline: Pipeline | undefined;
  for (const doc of docs)
    for (const error of doc.syntaxErrors)
      report.error(error.pos, "", `YAML syntax: ${error.message}`);
  if (docs.length === 0) report.error({ line: 1, column: 1 }, "", "the file holds no pipeline");
  else if (docs.length > 1)
    report.error(
      docs[1]?.pos ?? { line: 1, column: 1 },
      "",
      "one pipeline per file: remove the other documents",
    );
  else if (docs[0]?.root !== undefined) pipeline = parseDocument(docs[0].root, report);
  const errors = report.diagnostics.some((d) => d.severity === "error");
  const diagnostics = [...report.diagnostics].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
  return { pipeline: errors ? undefined : pipeline, diagnostics };
}
