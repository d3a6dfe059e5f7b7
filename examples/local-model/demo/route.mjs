#!/usr/bin/env node
// Moves all traffic of the local switch to one upstream: the pipeline's shift-traffic stage.
// Writes previous=URL (the upstream it replaced) to $DEPLOYSLO_OUTPUT, for the rollback.
import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { admin: { type: "string" }, upstream: { type: "string" } },
});
if (values.admin === undefined || values.upstream === undefined) {
  process.stderr.write("usage: route.mjs --admin URL --upstream URL\n");
  process.exit(2);
}
const before = await fetch(new URL("/admin/route", values.admin)).then((r) => r.json());
const answer = await fetch(new URL("/admin/route", values.admin), {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ upstream: values.upstream }),
});
const body = await answer.text();
if (!answer.ok) {
  process.stderr.write(`route.mjs: the switch answered ${answer.status}: ${body}\n`);
  process.exit(1);
}
const previous = before.routes?.[0]?.upstream;
process.stdout.write(
  `route.mjs: traffic moved from ${previous ?? "nothing"} to ${values.upstream}\n`,
);
if (process.env.DEPLOYSLO_OUTPUT !== undefined && previous !== undefined)
  appendFileSync(process.env.DEPLOYSLO_OUTPUT, `previous=${previous}\n`);
