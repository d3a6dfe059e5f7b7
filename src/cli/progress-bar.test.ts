import { describe, expect, it } from "vitest";
import { ProgressBar, renderProgress } from "./progress-bar.js";

describe("renderProgress", () => {
  it("shows records done of total, percent, rate and ETA", () => {
    expect(
      renderProgress({ done: 4000, total: 10_000, start: 0, elapsedMs: 2000, width: 10 }),
    ).toBe("[████░░░░░░] 4,000/10,000 records 40% · 2,000/s · ETA 3s");
  });

  it("counts the rate over this run only when resuming", () => {
    expect(
      renderProgress({ done: 7000, total: 10_000, start: 6000, elapsedMs: 10_000, width: 10 }),
    ).toBe("[███████░░░] 7,000/10,000 records 70% · 100/s · ETA 30s");
  });

  it("shows – before anything was sent, and done at the end", () => {
    expect(renderProgress({ done: 0, total: 500, start: 0, elapsedMs: 0, width: 4 })).toBe(
      "[░░░░] 0/500 records 0% · –/s · ETA –",
    );
    expect(renderProgress({ done: 500, total: 500, start: 0, elapsedMs: 0, width: 4 })).toBe(
      "[████] 500/500 records 100% · –/s · done",
    );
  });

  it("writes long ETAs as minutes and hours", () => {
    const line = renderProgress({ done: 1, total: 7201, start: 0, elapsedMs: 1000, width: 4 });
    expect(line).toMatch(/ETA 2h00m$/);
  });
});

/** A bar over a fake clock that collects what it writes. */
function bar(total: number, start = 0) {
  let now = 1_000_000;
  let out = "";
  const progress = new ProgressBar({
    write: (text) => {
      out += text;
    },
    now: () => now,
    total,
    start,
  });
  return {
    progress,
    tick: (ms: number) => {
      now += ms;
    },
    /** What was written, with erase-to-end-of-line as <EL> and carriage returns as <CR>. */
    output: () => out.replaceAll("\u001b[K", "<EL>").replaceAll("\r", "<CR>"),
    frames: () => out.split("\r").filter((f) => f.startsWith("[")).length,
  };
}

describe("ProgressBar", () => {
  it("redraws in place with \\r at most every 100 ms, and always draws the last frame", () => {
    const b = bar(100);
    b.progress.update(10);
    b.tick(30);
    b.progress.update(20);
    b.tick(30);
    b.progress.update(30);
    expect(b.frames()).toBe(1);
    b.tick(40);
    b.progress.update(40);
    expect(b.frames()).toBe(2);
    b.progress.update(100);
    expect(b.frames()).toBe(3);
    expect(b.output()).toMatch(/^<CR>\[.*\] 10\/100 records 10% .*<EL><CR>/);
    expect(b.output()).not.toContain("\n");
  });

  it("prints a log line above the bar and draws the bar again", () => {
    const b = bar(100);
    b.progress.update(50);
    b.progress.log("deployslo: batch 2 failed; try 2 of 5 in 1s");
    expect(b.output()).toMatch(
      /<CR>\[.*\] 50\/100 records.*<EL><CR><EL>deployslo: batch 2 failed; try 2 of 5 in 1s\n<CR>\[.*\] 50\/100/,
    );
  });

  it("finish leaves the last frame on its own line; clear removes it", () => {
    const b = bar(10);
    b.progress.update(10);
    b.progress.finish();
    expect(b.output().endsWith("<EL>\n")).toBe(true);
    const c = bar(10);
    c.progress.update(5);
    c.progress.clear();
    expect(c.output().endsWith("<CR><EL>")).toBe(true);
  });

  it("starts from the records acknowledged by an earlier run", () => {
    const b = bar(10, 6);
    b.progress.update(6);
    expect(b.output()).toContain("6/10 records 60%");
  });
});
