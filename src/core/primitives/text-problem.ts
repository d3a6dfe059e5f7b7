// A lone surrogate: a high one not followed by a low one, or a low one not after a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a string cannot be stored as sent, or undefined when it can. PostgreSQL refuses NUL in
 * text and both stores replace a lone UTF-16 surrogate (not valid Unicode) with U+FFFD, so
 * both are refused everywhere: the two stores then answer the same, and what is stored is
 * exactly what was sent.
 */
export function textProblem(text: string): string | undefined {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000)";
  if (LONE_SURROGATE.test(text)) {
    return "contains a lone UTF-16 surrogate, which is not valid Unicode";
  }
  return undefined;
}
