import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP forwarder in front of a server, to take that server away and give it back as a
 * network outage looks to a client: `down()` resets every open connection and refuses new
 * ones (ECONNREFUSED), `up()` accepts again on the same port. `freeze()` is a host that
 * vanished without a word: connections stay open and every byte is dropped, both ways, until
 * `thaw()` (what was dropped stays lost).
 */
export interface TcpProxy {
  readonly port: number;
  down(): Promise<void>;
  freeze(): void;
  thaw(): void;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let frozen = false;
  const forward = (from: Socket, to: Socket) => {
    from.on("data", (bytes) => {
      if (!frozen) to.write(bytes);
    });
  };
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    // Resets are the point of this proxy; an unhandled 'error' would end the test worker.
    socket.on("error", () => undefined);
  };
  const makeServer = (): Server =>
    createServer((client) => {
      track(client);
      const upstream = connect(target.port, target.host);
      track(upstream);
      forward(client, upstream);
      forward(upstream, client);
      client.once("close", () => upstream.destroy());
      upstream.once("close", () => client.destroy());
    });
  const listen = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        const address = server.address();
        resolve(typeof address === "object" && address !== null ? address.port : port);
      });
    });
  const stop = (server: Server) =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.resetAndDestroy();
      server.close(() => resolve());
    });

  let server: Server | undefined = makeServer();
  const port = await listen(server, 0);
  const down = async () => {
    if (server === undefined) return;
    const current = server;
    server = undefined;
    await stop(current);
  };
  return {
    port,
    down,
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
    },
    async up() {
      if (server !== undefined) return;
      server = makeServer();
      await listen(server, port);
    },
    close: down,
  };
}
