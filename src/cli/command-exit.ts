/** Ends a command with this exit code, having said all there is to say already. */
export class CommandExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = "CommandExit";
    this.exitCode = exitCode;
  }
}
