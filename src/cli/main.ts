#!/usr/bin/env node
import process, { argv, env, exit, stderr, stdout } from "node:process";
import { systemClock } from "../clock/clock.js";
import { runCli } from "./program.js";

const code = await runCli(argv.slice(2), {
  stdout,
  stderr,
  env,
  now: systemClock.now,
  signals: process,
});
// Let stdout drain before exiting, so piped JSON is never cut short.
stdout.write("", () => exit(code));
