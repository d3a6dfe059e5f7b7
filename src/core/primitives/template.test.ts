import { describe, expect, it } from "vitest";
import { expandTemplate, parseTemplate, type Template } from "./template.js";

function parsed(source: string): Template {
  const result = parseTemplate(source);
  if (!result.ok) throw new Error(result.reason);
  return result.template;
}

const values = {
  attempt: { MODEL: "iris", VERSION: "2", ENVIRONMENT: "demo", ATTEMPT_ID: "a-1" },
  env: (name: string) => (name === "PORT" ? "8000" : undefined),
  output: (stage: string, key: string) => (stage === "start" && key === "pid" ? "42" : undefined),
};

describe("templates", () => {
  it("expands attempt variables, env and stage outputs; $${ is a literal", () => {
    const t = parsed(
      "http://127.0.0.1:${env.PORT}/${MODEL}/${ VERSION }?p=${stages.start.pid}&x=$${y}",
    );
    expect(expandTemplate(t, values)).toEqual({
      ok: true,
      text: "http://127.0.0.1:8000/iris/2?p=42&x=${y}",
    });
  });

  it("rejects unknown expressions and unclosed ones", () => {
    expect(parseTemplate("${HOME}")).toMatchObject({ ok: false });
    expect(parseTemplate("${stages.start}")).toMatchObject({ ok: false });
    expect(parseTemplate("a ${VERSION")).toMatchObject({ ok: false });
  });

  it("says which value is missing", () => {
    expect(expandTemplate(parsed("${env.NOPE}"), values)).toEqual({
      ok: false,
      reason: "${env.NOPE}: NOPE is not set",
    });
    expect(expandTemplate(parsed("${stages.start.port}"), values)).toMatchObject({ ok: false });
  });
});
