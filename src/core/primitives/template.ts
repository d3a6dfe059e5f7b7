/**
 * Text with `${NAME}` expressions, resolved when the pipeline runs: the attempt's MODEL,
 * VERSION, ENVIRONMENT, ATTEMPT_ID, `env.NAME` (the pipeline's env, then the runner's) and
 * `stages.STAGE.KEY` (an output a stage wrote to $DEPLOYSLO_OUTPUT). `$${` writes a literal `${`.
 */
export type TemplatePart =
  | { readonly text: string }
  | { readonly ref: "attempt"; readonly name: AttemptVariable }
  | { readonly ref: "env"; readonly name: string }
  | { readonly ref: "stage"; readonly stage: string; readonly key: string };

export interface Template {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

export const ATTEMPT_VARIABLES = ["MODEL", "VERSION", "ENVIRONMENT", "ATTEMPT_ID"] as const;
export type AttemptVariable = (typeof ATTEMPT_VARIABLES)[number];

export interface TemplateValues {
  readonly attempt: Readonly<Record<AttemptVariable, string>>;
  readonly env: (name: string) => string | undefined;
  readonly output: (stage: string, key: string) => string | undefined;
}

export type TemplateParse =
  | { readonly ok: true; readonly template: Template }
  | { readonly ok: false; readonly reason: string };

const EXPRESSION = /\$\$\{|\$\{([^}]*)\}/g;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STAGE_NAME = /^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/;

function parseExpression(inner: string): TemplatePart | string {
  const text = inner.trim();
  if ((ATTEMPT_VARIABLES as readonly string[]).includes(text))
    return { ref: "attempt", name: text as AttemptVariable };
  const parts = text.split(".");
  if (parts[0] === "env" && parts.length === 2 && IDENT.test(parts[1] ?? ""))
    return { ref: "env", name: parts[1] ?? "" };
  if (parts[0] === "stages" && parts.length === 3) {
    const [, stage = "", key = ""] = parts;
    if (STAGE_NAME.test(stage) && IDENT.test(key)) return { ref: "stage", stage, key };
  }
  return `\${${inner}} is not an expression: use \${MODEL}, \${VERSION}, \${ENVIRONMENT}, \${ATTEMPT_ID}, \${env.NAME} or \${stages.STAGE.KEY}`;
}

/** @example parseTemplate("http://127.0.0.1:${env.PORT}/v2/models/${MODEL}") */
export function parseTemplate(source: string): TemplateParse {
  const parts: TemplatePart[] = [];
  let last = 0;
  let literal = "";
  let unclosed = false;
  for (const match of source.matchAll(EXPRESSION)) {
    const raw = source.slice(last, match.index);
    unclosed ||= raw.includes("${");
    literal += raw;
    last = match.index + match[0].length;
    if (match[0] === "$${") {
      literal += "${";
      continue;
    }
    const part = parseExpression(match[1] ?? "");
    if (typeof part === "string") return { ok: false, reason: part };
    if (literal !== "") parts.push({ text: literal });
    literal = "";
    parts.push(part);
  }
  const tail = source.slice(last);
  literal += tail;
  if (unclosed || tail.includes("${"))
    return { ok: false, reason: `"${source}" has an unclosed \${: close it with }` };
  if (literal !== "") parts.push({ text: literal });
  return { ok: true, template: { source, parts } };
}

/** A template that is plain text. */
export function literalTemplate(text: string): Template {
  return { source: text, parts: text === "" ? [] : [{ text }] };
}

/** The stage outputs a template reads. */
export function templateStages(template: Template): string[] {
  return template.parts.flatMap((part) =>
    "ref" in part && part.ref === "stage" ? [part.stage] : [],
  );
}

export type TemplateExpansion =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: string };

export function expandTemplate(template: Template, values: TemplateValues): TemplateExpansion {
  let text = "";
  for (const part of template.parts) {
    if ("text" in part) text += part.text;
    else if (part.ref === "attempt") text += values.attempt[part.name];
    else if (part.ref === "env") {
      const value = values.env(part.name);
      if (value === undefined)
        return { ok: false, reason: `\${env.${part.name}}: ${part.name} is not set` };
      text += value;
    } else {
      const value = values.output(part.stage, part.key);
      if (value === undefined)
        return {
          ok: false,
          reason: `\${stages.${part.stage}.${part.key}}: stage ${part.stage} wrote no ${part.key}=… to $DEPLOYSLO_OUTPUT`,
        };
      text += value;
    }
  }
  return { ok: true, text };
}
