import { isAbsolute, resolve } from "node:path";
import { publishedSha256, sha256OfFile, sha256OfUrl } from "./checksum.js";
import type { ActionContext, ActionOfType, StageAction } from "./stage-action.js";

type ChecksumAction = ActionOfType<"checksum">;

/** The file's path or the URL, and its sha256. */
async function actualSha256(
  action: ChecksumAction,
  context: ActionContext,
): Promise<{ source: string; actual: string }> {
  if (action.file !== null) {
    const file = context.expand(action.file);
    const source = isAbsolute(file) ? file : resolve(context.baseDir, file);
    return { source, actual: await sha256OfFile(source, context.signal) };
  }
  if (action.url === null) throw new Error("a checksum stage needs a file or a url");
  const source = context.expand(action.url);
  return { source, actual: await sha256OfUrl(source, context.signal) };
}

async function expectedSha256(
  action: ChecksumAction,
  context: ActionContext,
  source: string,
): Promise<string> {
  if (action.sha256 !== null) return context.expand(action.sha256).toLowerCase();
  if (action.sha256File === null) throw new Error("a checksum stage needs sha256 or sha256File");
  return publishedSha256(resolve(context.baseDir, context.expand(action.sha256File)), source);
}

/** The `checksum` action: the sha256 of a file or URL must be the expected or published one. */
export const checksumAction: StageAction<ChecksumAction> = async (action, context) => {
  const { source, actual } = await actualSha256(action, context);
  const expected = await expectedSha256(action, context, source);
  if (actual === expected) return { ok: true, attributes: { sha256: actual } };
  return {
    ok: false,
    error: `sha256 of ${source} is ${actual}, expected ${expected}`,
    attributes: { sha256: actual },
  };
};
