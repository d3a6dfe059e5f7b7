import { readFileSync, writeFileSync } from "node:fs";
import { it } from "vitest";
import { runCliCaptured } from "./support/capture-io.js";
function argv(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? "").slice(1);
}
it("regenerates", async () => {
  const file = process.env.DOC ?? "docs/insight.md";
  let doc = readFileSync(file, "utf8");
  const blocks = [...doc.matchAll(/```console\n\$ (deployslo [^\n]*)\n([\s\S]*?)```/g)];
  for (const m of blocks) {
    const run = await runCliCaptured(argv(m[1] ?? ""), { now: Date.parse("2026-12-01T00:00:00Z") });
    doc = doc.replace(m[0], `\`\`\`console\n$ ${m[1]}\n${run.stdout}\`\`\``);
  }
  writeFileSync(file, doc);
}, 300000);
