import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { checkPortAvailable } from "./check-port-available.js";

describe("checkPortAvailable", () => {
  let taken: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) =>
      taken === undefined ? resolve(undefined) : taken.close(resolve),
    );
    taken = undefined;
  });

  it("fails with PORT_UNAVAILABLE naming the port when another socket listens on it", async () => {
    const server = createServer();
    taken = server;
    await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    await expect(checkPortAvailable("127.0.0.1", address.port)).rejects.toMatchObject({
      code: "PORT_UNAVAILABLE",
      message: `cannot listen on 127.0.0.1:${address.port}: port ${address.port} is in use by another program (another deployslo serve?)`,
    });
  });

  it("passes for a free port and leaves it free", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
    const address = server.address();
    await new Promise((resolve) => server.close(resolve));
    if (address === null || typeof address === "string") throw new Error("no port");
    await checkPortAvailable("127.0.0.1", address.port);
    await checkPortAvailable("127.0.0.1", address.port);
  });
});
