/**
 * A merchant's web site for link-check tests: a real HTTP(S) server on loopback (port 0)
 * whose answer to each path is set by the test, and which records every request it gets.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { AddressInfo, Socket } from "node:net";
import { packageRoot } from "../../src/package-info.js";

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly userAgent: string | undefined;
}

export interface LinkServer {
  readonly port: number;
  /** http(s)://127.0.0.1:PORT */
  readonly origin: string;
  /** The same server under another host name: http(s)://localhost:PORT */
  readonly otherOrigin: string;
  readonly seen: SeenRequest[];
  /** Requests being answered right now, and the most at once so far. */
  readonly inFlight: { now: number; max: number };
  route(pathname: string, handler: Route): void;
  close(): Promise<void>;
}

export const TLS_DIR = path.join(packageRoot(), "test", "fixtures", "tls");

export async function startLinkServer(options: { tls?: boolean } = {}): Promise<LinkServer> {
  const routes = new Map<string, Route>();
  const seen: SeenRequest[] = [];
  const inFlight = { now: 0, max: 0 };
  const sockets = new Set<Socket>();
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const pathname = (request.url ?? "/").split("?")[0]!;
    seen.push({
      method: request.method ?? "",
      path: request.url ?? "",
      userAgent: request.headers["user-agent"],
    });
    inFlight.now++;
    inFlight.max = Math.max(inFlight.max, inFlight.now);
    response.on("close", () => inFlight.now--);
    const route = routes.get(pathname);
    if (route === undefined) {
      response.writeHead(404).end("not found");
      return;
    }
    route(request, response);
  };
  const server = options.tls
    ? createHttpsServer(
        {
          key: readFileSync(path.join(TLS_DIR, "localhost.key")),
          cert: readFileSync(path.join(TLS_DIR, "localhost.crt")),
        },
        handle,
      )
    : createHttpServer(handle);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("secureConnection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? "https" : "http";
  return {
    port,
    origin: `${scheme}://127.0.0.1:${port}`,
    otherOrigin: `${scheme}://localhost:${port}`,
    seen,
    inFlight,
    route: (pathname, handler) => routes.set(pathname, handler),
    close: () =>
      new Promise<void>((resolve) => {
        // A route that never answers holds its socket open: close them all.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers `status`, with a Location when given. */
export function answer(status: number, location?: string): Route {
  return (_request, response) => {
    response.writeHead(status, location === undefined ? {} : { location }).end();
  };
}

/** Never answers: the request stays open until the client gives up. */
export const neverAnswer: Route = () => undefined;

/** A port on which nothing listens (a server started and closed at once). */
export async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
