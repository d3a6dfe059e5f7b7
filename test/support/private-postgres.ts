import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const LIB = "/usr/lib/postgresql";

/**
 * A throwaway PostgreSQL server of this test's own (initdb into a temporary folder, on a free
 * port), for faults that would disturb everyone else on a shared server, such as a restart.
 */
export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** What `pg_ctlcluster … restart` does: a fast shutdown (sessions get 57P01), then a start. */
  restart(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder, or undefined. */
function binFolder(): string | undefined {
  if (!existsSync(LIB)) return undefined;
  const versions = readdirSync(LIB)
    .filter((name) => existsSync(join(LIB, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(LIB, versions[0], "bin");
}

/** Why a private server cannot be made here, or undefined when it can. */
export function privatePostgresUnavailable(): string | undefined {
  if (binFolder() === undefined) return `no initdb under ${LIB}/*/bin`;
  if (process.getuid?.() === 0) {
    // initdb refuses to run as root; it runs as the postgres user instead.
    if (!existsSync("/usr/sbin/runuser") && !existsSync("/sbin/runuser")) return "no runuser";
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binFolder();
  if (bin === undefined) throw new Error(privatePostgresUnavailable());
  const asRoot = process.getuid?.() === 0;
  const tool = (name: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", join(bin, name), ...args])
      : run(join(bin, name), args);
  const dir = await mkdtemp(join(tmpdir(), "deployslo-pg-"));
  if (asRoot) await chown(dir, ...(await postgresIds()));
  const data = join(dir, "data");
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const pgCtl = (action: string, ...extra: string[]) =>
    tool("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-t", "30", ...extra, action]);
  await tool("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
  await pgCtl("start", "-o", options);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart() {
      await pgCtl("restart", "-m", "fast", "-o", options);
    },
    async destroy() {
      await pgCtl("stop", "-m", "immediate").catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresIds(): Promise<[number, number]> {
  const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
  const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
  return [uid, gid];
}
