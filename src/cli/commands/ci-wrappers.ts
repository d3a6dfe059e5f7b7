import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { attemptCommand } from "./attempt-command.js";
import { probeCommand } from "./probe-command.js";
import { stageCommand } from "./stage-command.js";

/** The commands for pipelines that run elsewhere: attempt start|finish, stage exec, probe. */
export function ciWrapperCommands(io: CliIo): Command[] {
  return [attemptCommand(io), stageCommand(io), probeCommand(io)];
}
