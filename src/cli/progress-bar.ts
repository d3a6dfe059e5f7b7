import { formatSeconds } from "./render-table.js";

export interface ProgressFrame {
  readonly done: number;
  readonly total: number;
  /** Where this run started (records acknowledged earlier), for the rate. */
  readonly start: number;
  readonly elapsedMs: number;
  /** Cells of the bar itself. */
  readonly width?: number;
}

const FULL = "█";
const EMPTY = "░";

/** Groups thousands for people: 12345 → 12,345. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/**
 * One line of progress: `[████░░░░] 4,000/10,000 records 40% · 1,250/s · ETA 4.8s`.
 * Rate and ETA are over this run's records; before any, they show as `–`.
 */
export function renderProgress(frame: ProgressFrame): string {
  const width = frame.width ?? 24;
  const ratio = frame.total === 0 ? 1 : Math.min(1, Math.max(0, frame.done / frame.total));
  const filled = Math.floor(ratio * width);
  const bar = FULL.repeat(filled) + EMPTY.repeat(width - filled);
  const percent = `${Math.floor(ratio * 100)}%`;
  const sent = frame.done - frame.start;
  const seconds = frame.elapsedMs / 1000;
  const rate = sent > 0 && seconds > 0 ? sent / seconds : undefined;
  const left = frame.total - frame.done;
  const eta =
    left === 0 ? "done" : rate === undefined ? "ETA –" : `ETA ${formatSeconds(left / rate)}`;
  const speed = rate === undefined ? "–/s" : `${formatCount(rate)}/s`;
  return `[${bar}] ${formatCount(frame.done)}/${formatCount(frame.total)} ${frame.total === 1 ? "record" : "records"} ${percent} · ${speed} · ${eta}`;
}

export interface ProgressBarOptions {
  readonly write: (text: string) => void;
  /** The clock, epoch ms. */
  readonly now: () => number;
  readonly total: number;
  readonly start?: number;
  /** Redraw at most this often; default 100 ms (10 a second). */
  readonly intervalMs?: number;
}

/**
 * A one-line progress bar for a terminal: redrawn in place with `\r` (and erase-to-end-of-line),
 * at most every intervalMs, except that the last frame is always drawn. `log` prints a line
 * above it without leaving a half-drawn bar behind.
 */
export class ProgressBar {
  readonly #write: (text: string) => void;
  readonly #now: () => number;
  readonly #total: number;
  readonly #start: number;
  readonly #intervalMs: number;
  readonly #startedAt: number;
  #done: number;
  #drawnAt: number | undefined;
  #visible = false;

  constructor(options: ProgressBarOptions) {
    this.#write = options.write;
    this.#now = options.now;
    this.#total = options.total;
    this.#start = options.start ?? 0;
    this.#done = this.#start;
    this.#intervalMs = options.intervalMs ?? 100;
    this.#startedAt = options.now();
  }

  /** Records `done`; redraws when the last drawing is old enough or this is the end. */
  update(done: number): void {
    this.#done = done;
    const now = this.#now();
    const due = this.#drawnAt === undefined || now - this.#drawnAt >= this.#intervalMs;
    if (due || done >= this.#total) this.#draw(now);
  }

  /** Writes a whole line above the bar, then draws the bar again. */
  log(line: string): void {
    if (this.#visible) this.#write("\r\u001b[K");
    this.#write(`${line}\n`);
    this.#visible = false;
    this.#draw(this.#now());
  }

  /** Leaves the last frame on its own line. */
  finish(): void {
    this.#draw(this.#now());
    this.#write("\n");
    this.#visible = false;
  }

  /** Removes the bar, e.g. before an error message. */
  clear(): void {
    if (this.#visible) this.#write("\r\u001b[K");
    this.#visible = false;
  }

  #draw(now: number): void {
    const line = renderProgress({
      done: this.#done,
      total: this.#total,
      start: this.#start,
      elapsedMs: now - this.#startedAt,
    });
    this.#write(`\r${line}\u001b[K`);
    this.#drawnAt = now;
    this.#visible = true;
  }
}
