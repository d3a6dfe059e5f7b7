import { DeploysloError } from "../core/error-codes.js";
import type { LocatedValue } from "../services/parse-batch.js";

/** An application/x-ndjson body after parsing: one value per non-blank line. */
export class NdjsonBody {
  constructor(readonly values: readonly LocatedValue[]) {}
}

/** Parses an application/x-ndjson body; a line that is not JSON rejects the whole body. */
export function parseNdjsonBody(text: string): NdjsonBody {
  const values: LocatedValue[] = [];
  const problems: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") continue;
    try {
      values.push({ where: `line ${i + 1}`, value: JSON.parse(line) });
    } catch (error) {
      if (problems.length < 100)
        problems.push(`line ${i + 1}: invalid JSON: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) {
    throw new DeploysloError(
      "USAGE",
      "the NDJSON body has lines that are not JSON; nothing was stored",
      problems,
    );
  }
  return new NdjsonBody(values);
}

/** Names each value of a body by where it was: `line N`, `[i]`, or `body`. */
export function locatedValues(body: unknown): readonly LocatedValue[] {
  if (body instanceof NdjsonBody) return body.values;
  if (Array.isArray(body)) return body.map((value, i) => ({ where: `[${i}]`, value }));
  if (body === undefined || body === null) return [];
  return [{ where: "body", value: body }];
}
