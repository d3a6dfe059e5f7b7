import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CanaryTraffic } from "../core/pipeline/pipeline.js";
import { runCommand } from "./run-command.js";
import type { ActionContext } from "./stage-action.js";

/** A route of the local traffic switch. */
export interface SwitchRoute {
  readonly upstream: string;
  readonly weight: number;
}

/** How long restoring traffic may take once the canary's own signal has aborted. */
const RESTORE_TIMEOUT_MS = 10_000;

async function switchRequest(
  admin: string,
  signal: AbortSignal,
  body?: unknown,
): Promise<readonly SwitchRoute[]> {
  const url = new URL("/admin/route", admin);
  const response = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal,
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`the switch at ${url} answered ${response.status}: ${text.slice(0, 200)}`);
  const routes = (JSON.parse(text) as { routes?: unknown }).routes;
  if (!Array.isArray(routes)) throw new Error(`the switch at ${url} sent no routes`);
  return routes as SwitchRoute[];
}

/**
 * Moves traffic for a canary and back. `resolved` holds the templates expanded: the switch's
 * admin URL and the new version's upstream, or the command.
 */
export class CanaryTrafficControl {
  readonly #traffic: ResolvedTraffic;
  readonly #context: ActionContext;
  /** The switch's routes before the canary moved anything. */
  #before: readonly SwitchRoute[] = [];
  #moved = false;

  constructor(traffic: ResolvedTraffic, context: ActionContext) {
    this.#traffic = traffic;
    this.#context = context;
  }

  /** The upstream that carried most traffic before the canary: the old version, if any. */
  get previous(): string | null {
    const top = [...this.#before].sort((a, b) => b.weight - a.weight)[0];
    return top === undefined || top.upstream === this.#newUpstream() ? null : top.upstream;
  }

  #newUpstream(): string | null {
    return this.#traffic.type === "switch" ? new URL(this.#traffic.upstream).origin : null;
  }

  /** Reads what the switch routes now, to move it back on failure. */
  async start(): Promise<void> {
    if (this.#traffic.type === "switch")
      this.#before = await switchRequest(this.#traffic.admin, this.#context.signal);
  }

  /** Sends `weight` percent of traffic to the new version, the rest to the old one. */
  async setWeight(weight: number, step: number): Promise<void> {
    this.#moved = true;
    if (this.#traffic.type === "run") {
      await this.#runCommand(weight, step, this.#context.signal);
      return;
    }
    const upstream = this.#newUpstream() ?? "";
    const old = this.previous;
    const routes =
      weight >= 100 || old === null
        ? [{ upstream, weight: 100 }]
        : [
            { upstream: old, weight: 100 - weight },
            { upstream, weight },
          ];
    await switchRequest(this.#traffic.admin, this.#context.signal, { routes });
  }

  /**
   * Puts traffic back as it was before the canary (a command is run with CANARY_WEIGHT=0).
   * Runs under its own timeout, since it also runs after the canary was stopped.
   */
  async restore(): Promise<string> {
    if (!this.#moved) return "traffic was not moved";
    const signal = AbortSignal.timeout(RESTORE_TIMEOUT_MS);
    if (this.#traffic.type === "run") {
      await this.#runCommand(0, 0, signal);
      return "traffic moved back (CANARY_WEIGHT=0)";
    }
    if (this.#before.length === 0)
      return "the switch routed nothing before the canary: traffic left on the new version";
    await switchRequest(this.#traffic.admin, signal, { routes: this.#before });
    return `traffic moved back to ${this.#before.map((r) => r.upstream).join(", ")}`;
  }

  async #runCommand(weight: number, step: number, signal: AbortSignal): Promise<void> {
    if (this.#traffic.type !== "run") return;
    const { context } = { context: this.#context };
    const outputFile = join(context.scratch, `${context.stage}.traffic.out`);
    await writeFile(outputFile, "");
    const result = await runCommand(this.#traffic.command, {
      cwd: context.baseDir,
      env: {
        ...context.env,
        DEPLOYSLO_STAGE: context.stage,
        DEPLOYSLO_OUTPUT: outputFile,
        CANARY_WEIGHT: String(weight),
        CANARY_STEP: String(step),
      },
      signal,
      ...(context.onLine === undefined ? {} : { onLine: context.onLine }),
    });
    if (result.exitCode !== 0) {
      const why =
        result.spawnError ??
        (result.exitCode === null ? `killed by ${result.signal}` : `exit code ${result.exitCode}`);
      const last = result.tail.filter((l) => l.trim() !== "").at(-1);
      throw new Error(
        `the traffic command for ${weight}% failed: ${why}${last === undefined ? "" : `: ${last}`}`,
      );
    }
  }
}

export type ResolvedTraffic =
  | { readonly type: "switch"; readonly admin: string; readonly upstream: string }
  | { readonly type: "run"; readonly command: string };

/** The traffic settings with their templates expanded. */
export function resolveTraffic(traffic: CanaryTraffic, context: ActionContext): ResolvedTraffic {
  return traffic.type === "run"
    ? traffic
    : {
        type: "switch",
        admin: context.expand(traffic.admin),
        upstream: context.expand(traffic.upstream),
      };
}
