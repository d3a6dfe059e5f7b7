import { describe, expect, it } from "vitest";
import { runCliCaptured } from "../support/capture-io.js";
import { writeBadWeek } from "./bad-week-history.js";

/** After the month: the report counts all of it. */
const AFTER = { now: Date.parse("2026-12-01T00:00:00Z") };
const HOSTILE = `<script>alert("x")</script>&'`;

/** Every element opened is closed, in order (void elements aside): a well-formedness check. */
function balanced(html: string): string[] {
  const voids = new Set(["meta"]);
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>/g)) {
    const [, closing, name = "", , selfClosing] = m;
    const tag = name.toLowerCase();
    if (closing === "/") {
      const open = stack.pop();
      if (open !== tag) problems.push(`</${tag}> closes <${open}>`);
    } else if (selfClosing !== "/" && !voids.has(tag)) stack.push(tag);
  }
  return [...problems, ...stack.map((t) => `<${t}> never closed`)];
}

describe("deployslo report formats", () => {
  const [deployments, config] = writeBadWeek(HOSTILE);
  const base = ["report", "-d", deployments, "-c", config, "--period", "2026-10"];

  it("writes one self-contained HTML page with escaped text and SVG charts", async () => {
    const run = await runCliCaptured([...base, "--format", "html"], AFTER);
    expect(run.exitCode, run.stderr).toBe(0);
    const html = run.stdout;
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(balanced(html.replace(/<!DOCTYPE html>/, ""))).toEqual([]);
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain("Error budget left, month to date");
    expect(html).toContain("threshold 10m");
  });

  it("writes Markdown tables with the figures a reader looks for", async () => {
    const run = await runCliCaptured(base, AFTER);
    expect(run.exitCode, run.stderr).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("# SLO report 2026-10");
    expect(lines).toContain("## prod");
    expect(lines).toContain("| compliance | 77.42% | 76.67% |");
    expect(lines).toContain("| good / eligible | 576 / 744 | 552 / 720 |");
    expect(lines).toContain(
      "| error budget used | 168.0 attempts of 7.4 attempts | 168.0 attempts of 7.2 attempts |",
    );
    expect(run.stdout).toContain(
      '| a1151 | \\<script\\>alert("x")\\</script\\>&\' 1151 | 2026-10-18T23:00:00.000Z | 24m47s | stage-artifacts 22m47s (median 2m) |',
    );
    expect(run.stdout).toContain("- A threshold of 24m40s would have met the 99.00% target");
  });

  it("writes to --output instead of stdout", async () => {
    const out = `${deployments}.md`;
    const run = await runCliCaptured([...base, "--output", out], AFTER);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe("");
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(out, "utf8").startsWith("# SLO report 2026-10\n")).toBe(true);
  });

  it("refuses a bad --period or --slo as a usage error (exit code 2)", async () => {
    for (const [extra, message] of [
      [
        ["--period", "2026-13"],
        '--period must be a calendar month YYYY-MM (UTC), e.g. 2026-10; got "2026-13"',
      ],
      [["--period", "October"], "--period must be a calendar month YYYY-MM"],
      [["--period", "2026-10", "--slo", "prd"], 'no SLO named "prd" (did you mean "prod"?)'],
      [["--period", "2026-10", "--slowest", "-1"], "--slowest must be a whole number"],
    ] as const) {
      const run = await runCliCaptured(
        ["report", "-d", deployments, "-c", config, ...extra],
        AFTER,
      );
      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toContain("    at ");
    }
    const none = await runCliCaptured(["report", "-c", config, "--period", "2026-10"]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("report needs --deployments FILE");
  });
});
