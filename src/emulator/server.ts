/**
 * The local Partoo emulator (SPEC §7): a real HTTP server with the semantics partoo-api.md
 * describes, for tests, demos and users who want to rehearse a change. Order of checks
 * for each request: injected faults, the key (401), the rate limit (429), the route (404),
 * the key's role (403), the Content-Type (415), the body (400), then the handler.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { FaultInjector, type Faults } from "./faults.js";
import { RollingRateLimit } from "./rate-limit.js";
import { loadDemoSeed, type SeedDocument } from "./seed.js";
import { headerValue, matchRoute, searchBusinesses } from "./routes.js";
import { EmulatorStore } from "./store.js";
import { nestErrors } from "./check-write.js";
import { KEY_HEADER, type BodyShape } from "./api-doc.js";

export interface EmulatorOptions {
  /** Default 0: a free port. The server listens on 127.0.0.1 only. */
  readonly port?: number;
  /** The businesses to serve (default: the built-in demo seed). */
  readonly seed?: SeedDocument;
  /** The only key accepted; default: any non-empty key. */
  readonly apiKey?: string;
  /** Keys with Partoo's PROVIDER role, also accepted: they cannot address a business by `c-{code}` (403). */
  readonly providerKeys?: readonly string[];
  /** Requests per minute per key (default 300); Infinity: no limit. */
  readonly rateLimitPerMinute?: number;
  /** The rolling window the limit is counted over (default one minute); shorter windows make tests fast. */
  readonly rateLimitWindowMs?: number;
  /** A fixed Retry-After for every 429, in seconds (fractions allowed, for tests). Default: computed, or 1 s for injected 429s. */
  readonly retryAfterSeconds?: number;
  readonly faults?: Faults;
  /** The PRNG behind probabilistic faults (see seededRandom). */
  readonly random?: () => number;
  /** The types accepted (default EMULATED_TYPES). */
  readonly types?: readonly string[];
  /** How GET shows a type without links (default "omit"). */
  readonly emptyTypes?: "omit" | "keep";
  /** The POST body shape accepted (default "array", the seed document's; see api-doc.ts). */
  readonly bodyShape?: BodyShape;
  /** Store URLs normalized as some servers do (host case, default port, percent-encoding, NFC, trailing slash). */
  readonly normalizeUrls?: boolean;
  /** Called when each request is answered (or its response lost). */
  readonly onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  readonly method: string;
  /** The path as received (still percent-encoded), without the query. */
  readonly path: string;
  readonly query: string;
  /** 0 while in flight, or when the response was lost on purpose. */
  status: number;
  /** Arrival time (Date.now()). */
  readonly time: number;
  /** When the response was written (or the connection destroyed). */
  endTime?: number;
  /** Which connection carried it: 1 for the first connection, and so on. */
  readonly connection: number;
  /** The fault injected, if any: rate-limit, server-error, lost-reset, lost-502, slow. */
  fault?: string;
  /** The parsed JSON body of a POST. */
  body?: unknown;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:4010/v2 */
  readonly baseUrl: string;
  readonly port: number;
  /** Direct access to the businesses, e.g. to make a manual change as someone would in Partoo. */
  readonly store: EmulatorStore;
  /** Every request received, in arrival order. */
  readonly requests: readonly RequestLogEntry[];
  clearRequests(): void;
  /** Replaces the fault settings at run time. */
  setFaults(faults: Faults): void;
  readonly faults: Faults;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const NOT_FOUND = { error: { json: "Resource not found" } };

interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly entry: RequestLogEntry;
  readonly rawBody: Buffer;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const store = new EmulatorStore(options.seed ?? (await loadDemoSeed()), {
    ...(options.types === undefined ? {} : { types: options.types }),
    ...(options.emptyTypes === undefined ? {} : { emptyTypes: options.emptyTypes }),
    ...(options.bodyShape === undefined ? {} : { bodyShape: options.bodyShape }),
    ...(options.normalizeUrls === undefined ? {} : { normalizeUrls: options.normalizeUrls }),
  });
  const faults = new FaultInjector(options.faults, options.random);
  const limiter = new RollingRateLimit(
    options.rateLimitPerMinute ?? 300,
    options.rateLimitWindowMs ?? 60_000,
  );
  const providerKeys = new Set(options.providerKeys ?? []);
  let log: RequestLogEntry[] = [];
  const connections = new WeakMap<Socket, number>();
  const timers = new Set<NodeJS.Timeout>();

  function reply(x: Exchange, status: number, body: unknown, headers: Record<string, string> = {}) {
    const { ms: delay, slow } = faults.delay(x.req.method ?? "GET");
    if (slow) x.entry.fault ??= "slow";
    const write = () => {
      x.entry.status = status;
      x.entry.endTime = Date.now();
      options.onRequest?.(x.entry);
      if (x.res.destroyed) return;
      const text = typeof body === "string" ? body : JSON.stringify(body);
      const type = typeof body === "string" ? "text/html" : "application/json";
      x.res.writeHead(status, { "content-type": type, ...headers }).end(text);
    };
    if (delay <= 0) return write();
    const timer = setTimeout(() => {
      timers.delete(timer);
      write();
    }, delay);
    timers.add(timer);
  }

  function tooManyRequests(x: Exchange, computedMs: number) {
    const seconds = options.retryAfterSeconds ?? Math.max(1, Math.ceil(computedMs / 1000));
    reply(x, 429, { error: { json: "Too many requests" } }, { "retry-after": String(seconds) });
  }

  function handle(x: Exchange): void {
    const method = x.req.method ?? "GET";
    const early = faults.early(method);
    if (early?.kind === "rate-limit") {
      x.entry.fault = "rate-limit";
      return tooManyRequests(x, 1000);
    }
    if (early?.kind === "server-error") {
      x.entry.fault = "server-error";
      return reply(x, early.status, { error: "Service temporarily unavailable" });
    }
    const key = headerValue(x.req.headers[KEY_HEADER]);
    const knownKey =
      options.apiKey === undefined || key === options.apiKey || providerKeys.has(key);
    if (key === "" || !knownKey) {
      return reply(x, 401, { error: { authentication: "User not authenticated" } });
    }
    const wait = limiter.take(key, Date.now());
    if (wait !== undefined) return tooManyRequests(x, wait);
    const route = matchRoute(x.entry.path);
    if (route === undefined) return reply(x, 404, NOT_FOUND);
    if (!route.methods.includes(method)) {
      return reply(
        x,
        405,
        { error: { json: "Method not allowed" } },
        { allow: route.methods.join(", ") },
      );
    }
    if (route.address !== undefined) {
      if (route.address.startsWith("c-") && providerKeys.has(key)) {
        return reply(x, 403, { error: { authorization: "Operation not allowed" } });
      }
      if (!store.has(route.address)) return reply(x, 404, NOT_FOUND);
    }
    switch (route.name) {
      case "search":
        return search(x);
      case "business":
        return reply(x, 200, store.business(route.address!));
      case "links":
        return method === "GET"
          ? reply(x, 200, { place_action_links: store.links(route.address!) })
          : writeLinks(x, route.address!);
    }
  }

  function writeLinks(x: Exchange, address: string): void {
    const type = headerValue(x.req.headers["content-type"]);
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      const shown = type === "" ? "" : ` "${type}"`;
      return reply(x, 415, {
        errors: { json: `Unsupported media type${shown} in request. Expected "application/json".` },
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(x.rawBody.toString("utf8"));
    } catch {
      return reply(x, 400, { error: { json: { _schema: ["Invalid JSON body."] } } });
    }
    x.entry.body = body;
    const errors = store.applyWrite(address, body);
    if (errors.length > 0) return reply(x, 400, { error: { json: nestErrors(errors) } });
    const lost = faults.loseResponse("POST");
    if (lost === "reset") {
      x.entry.fault = "lost-reset";
      x.entry.endTime = Date.now();
      options.onRequest?.(x.entry);
      x.req.socket.destroy();
      return;
    }
    if (lost === "502") {
      x.entry.fault = "lost-502";
      return reply(x, 502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
    }
    reply(x, 200, { status: "success" });
  }

  function search(x: Exchange): void {
    const { status, body } = searchBusinesses(store.list(), x.entry.query);
    reply(x, status, body);
  }

  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator");
    const entry: RequestLogEntry = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.search.replace(/^\?/, ""),
      status: 0,
      time: Date.now(),
      connection: connections.get(req.socket) ?? 0,
    };
    log.push(entry);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      const x = { req, res, entry, rawBody: Buffer.concat(chunks) };
      if (size > MAX_BODY_BYTES)
        return reply(x, 413, { error: { json: "Request body too large" } });
      handle(x);
    });
    req.on("error", () => res.destroy());
  });
  let connectionCount = 0;
  server.on("connection", (socket: Socket) => connections.set(socket, ++connectionCount));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;

  return {
    baseUrl: `http://127.0.0.1:${port}/v2`,
    port,
    store,
    get requests() {
      return log;
    },
    clearRequests() {
      log = [];
    },
    setFaults: (settings) => faults.set(settings),
    get faults() {
      return faults.current;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
