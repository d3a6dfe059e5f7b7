// One measured run in its own process, so peak memory (maxRSS) belongs to that run alone.
// Usage: node bench/evaluate-worker.js floor|evaluate FILE [SLO_FILE AT]
import { createReadStream } from "node:fs";
import { argv, resourceUsage, stdout } from "node:process";

const [mode, file, sloFile, at] = argv.slice(2);

async function floor() {
  // The least any evaluation must do: read the bytes, split lines, JSON.parse each.
  let records = 0;
  let rest = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const text = rest + chunk;
    let from = 0;
    for (let nl = text.indexOf("\n", from); nl !== -1; nl = text.indexOf("\n", from)) {
      if (nl > from) {
        JSON.parse(text.slice(from, nl));
        records++;
      }
      from = nl + 1;
    }
    rest = text.slice(from);
  }
  if (rest.trim() !== "") {
    JSON.parse(rest);
    records++;
  }
  return { records };
}

async function evaluate() {
  const { evaluateSloFiles } = await import("../dist/services/evaluate-slo-files.js");
  const output = await evaluateSloFiles({
    ctx: {},
    input: {
      configFiles: [sloFile],
      deploymentFiles: [file],
      at: Date.parse(at),
      skipInvalid: false,
    },
  });
  return {
    records: output.stats.records,
    slos: output.result.slos.length,
    eligible: output.result.slos.map((s) => s.eligible),
  };
}

const started = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
const result = mode === "floor" ? await floor() : await evaluate();
const ms = Number(process.hrtime.bigint() - started) / 1e6;
// CPU time as well as wall time: on a shared machine, waiting for a core inflates wall time.
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
const maxRssMb = resourceUsage().maxRSS / 1024;
stdout.write(`${JSON.stringify({ mode, ms, cpuMs, maxRssMb, ...result })}\n`);
