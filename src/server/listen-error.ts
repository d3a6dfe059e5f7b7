import { DeploysloError } from "../core/primitives/error-codes.js";
import { errorCode } from "../store/store-unavailable.js";

const REASONS: Readonly<Record<string, (host: string, port: number) => string>> = {
  EADDRINUSE: (_host, port) =>
    `port ${port} is in use by another program (another deployslo serve?)`,
  EACCES: (_host, port) => `port ${port} needs privileges this process does not have`,
  EADDRNOTAVAIL: (host) => `${host} is not an address of this machine`,
  ENOTFOUND: (host) => `the host name ${host} does not resolve`,
};

/** Why the server cannot listen on host:port, as PORT_UNAVAILABLE; undefined if it is not that. */
export function listenError(
  error: unknown,
  host: string,
  port: number,
): DeploysloError | undefined {
  const code = errorCode(error);
  const reason = code === undefined ? undefined : REASONS[code];
  if (reason === undefined) return undefined;
  return new DeploysloError(
    "PORT_UNAVAILABLE",
    `cannot listen on ${host}:${port}: ${reason(host, port)}`,
  );
}
