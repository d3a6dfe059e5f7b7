import { createServer } from "node:net";
import { listenError } from "./listen-error.js";

/**
 * Fails with PORT_UNAVAILABLE when host:port cannot be listened on, by listening and closing
 * at once: the service checks this before it reads or writes any data, so a second instance
 * started by mistake leaves the first one's database alone. Port 0 (any free port) always can.
 */
export async function checkPortAvailable(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error) => reject(listenError(error, host, port) ?? error));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
