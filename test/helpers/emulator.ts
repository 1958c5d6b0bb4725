/**
 * Starting the Partoo emulator in tests: a real server on 127.0.0.1, port 0, with a small
 * seed written inline, and clients tuned for tests (tiny backoff, no pacing unless asked).
 * Close what you start: `await emu.close()` closes the clients made here and the server.
 */
import {
  createPartooClient,
  type PartooApi,
  type PartooClientOptions,
} from "../../src/partoo/client.js";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/server.js";
import type { SeedBusiness, SeedDocument, SeedUrl } from "../../src/emulator/seed.js";

/** Long enough to be scrubbed from messages; distinctive so that a leak is easy to grep. */
export const TEST_API_KEY = "pk-test-SECRET-7f3a9c2e5b8d4f61";

export interface TestEmulator {
  readonly emulator: Emulator;
  readonly baseUrl: string;
  readonly apiKey: string;
  /** For runCli: PARTOO_API_KEY and PARTOO_API_URL pointing at this emulator. */
  readonly env: Record<string, string>;
  /** A client for this emulator; closed by close(). */
  client(overrides?: Partial<PartooClientOptions>): PartooApi;
  close(): Promise<void>;
}

/** Options for a client in tests: retries that take milliseconds, no pacing, short timeouts. */
export function testClientOptions(
  baseUrl: string,
  overrides: Partial<PartooClientOptions> = {},
): PartooClientOptions {
  return {
    baseUrl,
    apiKey: TEST_API_KEY,
    rateLimitPerMinute: Infinity,
    timeouts: { connectMs: 2_000, headersMs: 2_000, bodyMs: 2_000 },
    ...overrides,
    retries: { baseDelayMs: 5, maxDelayMs: 20, ...overrides.retries },
  };
}

/** Emulator options where `apiKey: undefined` means "accept any non-empty key". */
export type TestEmulatorOptions = {
  [K in keyof EmulatorOptions]?: EmulatorOptions[K] | undefined;
};

/**
 * Starts an emulator (default: the demo seed, the test key, a limit high enough never to
 * be met unless a test sets one).
 */
export async function startTestEmulator(options: TestEmulatorOptions = {}): Promise<TestEmulator> {
  const merged = { port: 0, apiKey: TEST_API_KEY, rateLimitPerMinute: 1_000_000, ...options };
  const emulator = await startEmulator(
    Object.fromEntries(
      Object.entries(merged).filter(([, value]) => value !== undefined),
    ) as EmulatorOptions,
  );
  const clients: PartooApi[] = [];
  let closed: Promise<void> | undefined;
  return {
    emulator,
    baseUrl: emulator.baseUrl,
    apiKey: TEST_API_KEY,
    env: { PARTOO_API_KEY: TEST_API_KEY, PARTOO_API_URL: emulator.baseUrl },
    client(overrides = {}) {
      const client = createPartooClient(testClientOptions(emulator.baseUrl, overrides));
      clients.push(client);
      return client;
    },
    close() {
      closed ??= (async () => {
        await Promise.all(clients.map((client) => client.close()));
        await emulator.close();
      })();
      return closed;
    },
  };
}

type LinkSpec = string | (SeedUrl & { readonly value: string });

/**
 * One seed business from a compact description:
 * `seedBusiness("paris-01", { SHOP_ONLINE: [{ value: "https://…", is_preferred: true }, "https://…/b"] })`.
 * The id is derived from the code unless given.
 */
export function seedBusiness(
  code: string,
  links: Readonly<Record<string, readonly LinkSpec[]>> = {},
  extra: Partial<SeedBusiness> = {},
): SeedBusiness {
  return {
    id: `id-${code}`,
    code,
    name: code,
    status: "open",
    place_action_links: Object.entries(links).map(([type, urls]) => ({
      gmb_id: type,
      urls: urls.map((url) => (typeof url === "string" ? { value: url } : url)),
    })),
    ...extra,
  };
}

export function seed(...businesses: SeedBusiness[]): SeedDocument {
  return { businesses };
}
