import { formatDuration } from "../core/primitives/duration.js";
import type { RunnerEvent, StageReport } from "../runner/run-pipeline.js";
import { formatSeconds } from "./render-table.js";
import type { Style } from "./style.js";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const REDRAW_MS = 100;

/** Milliseconds for people: 412ms, 1.52s, 2m05s. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  return formatSeconds(ms / 1000);
}

interface Row {
  readonly name: string;
  readonly startedAt: number;
  readonly rollback: boolean;
  report?: StageReport;
  note?: string;
}

export interface ProgressOptions {
  readonly write: (text: string) => void;
  readonly now: () => number;
  readonly tty: boolean;
  readonly style: Style;
  /** e.g. "iris 2 → demo". */
  readonly title: string;
  readonly startedAt: number;
  readonly thresholdMs: number | null;
}

function mark(report: StageReport, style: Style): string {
  if (report.status === "succeeded") return style.green("✓");
  if (report.status === "cancelled" || report.status === "skipped") return style.yellow("○");
  return style.red("✗");
}

/**
 * Live progress of a promotion on stderr: on a terminal, one line per stage redrawn in place
 * (spinner, elapsed time) under a line with the SLO threshold and the time left; otherwise
 * one plain log line per event, stage output included, for CI logs.
 */
export class PromoteProgress {
  readonly #o: ProgressOptions;
  readonly #rows: Row[] = [];
  #drawn = 0;
  #frame = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ProgressOptions) {
    this.#o = options;
    if (options.tty) {
      this.#timer = setInterval(() => this.#draw(), REDRAW_MS);
      this.#timer.unref();
      this.#draw();
    } else {
      const slo =
        options.thresholdMs === null
          ? ""
          : ` (SLO threshold ${formatDuration(options.thresholdMs)})`;
      this.#line(`promoting ${options.title}${slo}`);
    }
  }

  #line(text: string): void {
    const at = formatMs(this.#o.now() - this.#o.startedAt);
    this.#o.write(`deployslo: [${at}] ${text}\n`);
  }

  onEvent(event: RunnerEvent): void {
    const style = this.#o.style;
    switch (event.type) {
      case "stage-started":
        this.#rows.push({ name: event.stage, startedAt: event.at, rollback: event.rollback });
        if (!this.#o.tty)
          this.#line(
            `${event.rollback ? "onFailure " : ""}${event.stage}: started${event.kind === "wait" ? " (wait)" : ""}`,
          );
        return;
      case "stage-retry": {
        const row = this.#rows.findLast((r) => r.name === event.stage);
        if (row !== undefined) row.note = `try ${event.try}: ${event.error}`;
        if (!this.#o.tty) this.#line(`${event.stage}: ${event.error}; try ${event.try}`);
        return;
      }
      case "stage-finished": {
        const row = this.#rows.findLast((r) => r.name === event.stage.name);
        if (row !== undefined) row.report = event.stage;
        if (!this.#o.tty) {
          const report = event.stage;
          const took = formatMs((report.endedAt ?? event.at) - (report.startedAt ?? event.at));
          const error = report.error === null ? "" : `: ${report.error}`;
          this.#line(`${report.name}: ${report.status.replace("_", " ")} in ${took}${error}`);
          // The gate's pre-flight estimate, before anything runs.
          if (typeof report.attributes.estimate === "string")
            this.#line(report.attributes.estimate);
        } else this.#draw();
        return;
      }
      case "stage-log":
        if (!this.#o.tty) this.#o.write(`  [${event.stage}] ${event.line}\n`);
        return;
      case "probe-try": {
        const row = this.#rows.findLast((r) => r.name === "first-inference");
        if (row !== undefined) row.note = `try ${event.tries}: ${event.problem}`;
        // One line for the first miss, then one every 20, so a long wait stays readable.
        if (!this.#o.tty && (event.tries === 1 || event.tries % 20 === 0))
          this.#line(`first-inference: try ${event.tries}: ${event.problem}`);
        return;
      }
      case "rollback-started":
        if (!this.#o.tty) this.#line(style.yellow("running onFailure stages"));
        return;
    }
  }

  #render(): string[] {
    const { style, now, startedAt, thresholdMs, title } = this.#o;
    const elapsed = now() - startedAt;
    let head = `${style.bold("promoting")} ${title} · ${formatMs(elapsed)}`;
    if (thresholdMs !== null) {
      const left = thresholdMs - elapsed;
      head +=
        left >= 0
          ? ` · SLO ${formatDuration(thresholdMs)}, ${formatMs(left)} left`
          : ` · SLO ${formatDuration(thresholdMs)}, ${style.red(`over by ${formatMs(-left)}`)}`;
    }
    const spin = SPINNER[this.#frame % SPINNER.length] ?? "-";
    const width = Math.max(8, ...this.#rows.map((r) => r.name.length));
    const lines = [head];
    for (const row of this.#rows) {
      const name = `${row.rollback ? "↩ " : ""}${row.name}`.padEnd(width + 2);
      if (row.report === undefined) {
        const note = row.note === undefined ? "" : style.dim(`  ${row.note.slice(0, 80)}`);
        lines.push(`  ${style.yellow(spin)} ${name} ${formatMs(now() - row.startedAt)}${note}`);
      } else {
        const r = row.report;
        const took = formatMs((r.endedAt ?? now()) - (r.startedAt ?? now()));
        const error = r.error === null ? "" : style.dim(`  ${r.error.slice(0, 80)}`);
        lines.push(`  ${mark(r, style)} ${name} ${took}${error}`);
      }
    }
    return lines;
  }

  #draw(): void {
    this.#frame++;
    const lines = this.#render();
    const up = this.#drawn > 0 ? `\u001b[${this.#drawn}A` : "";
    this.#o.write(`${up}${lines.map((l) => `\u001b[2K${l}\n`).join("")}`);
    this.#drawn = lines.length;
  }

  /** Draws the last frame (on a terminal) and stops redrawing. */
  stop(): void {
    if (this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#draw();
    }
  }
}
