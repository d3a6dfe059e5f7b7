/** What a command may touch of the outside world; tests pass fakes and read what a user sees. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The clock, epoch ms. */
  now(): number;
  /** Process signals, for long-running commands (serve); absent in tests. */
  readonly signals?: { on(signal: "SIGHUP" | "SIGINT" | "SIGTERM", listener: () => void): unknown };
}
