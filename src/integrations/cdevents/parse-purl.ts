/**
 * The name and version of a package URL (`pkg:mlflow/fraud-model@17?run_id=…`, the purl-spec
 * form CDEvents uses for artifactId), or undefined when it is not one.
 */
export function parsePurl(purl: string): { name: string; version?: string } | undefined {
  const match = /^pkg:[a-zA-Z][a-zA-Z0-9.+-]*\/([^?#]+)/.exec(purl);
  if (match?.[1] === undefined) return undefined;
  const path = match[1];
  const at = path.lastIndexOf("@");
  const namePath = at < 0 ? path : path.slice(0, at);
  const name = namePath
    .split("/")
    .filter((part) => part !== "")
    .at(-1);
  if (name === undefined) return undefined;
  try {
    const version = at < 0 ? undefined : decodeURIComponent(path.slice(at + 1));
    return { name: decodeURIComponent(name), ...(version ? { version } : {}) };
  } catch {
    return undefined;
  }
}
