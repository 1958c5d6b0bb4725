/** `partoo-links emulator`: the local Partoo emulator (SPEC §7), until SIGINT or SIGTERM. */
import { UsageError } from "../../errors.js";
import { seededRandom, type Faults } from "../../emulator/faults.js";
import { GOOGLE_ERROR_CODES, type BodyShape } from "../../emulator/api-doc.js";
import { loadDemoSeed, readSeedFile } from "../../emulator/seed.js";
import { startEmulator, type Emulator, type RequestLogEntry } from "../../emulator/server.js";
import type { Command, CommandContext } from "../command.js";
import { DEFAULT_RATE_LIMIT, parseNumberOption, stringOption } from "../options.js";

export const DEFAULT_EMULATOR_PORT = 4010;

export const emulatorCommand: Command = {
  name: "emulator",
  summary: "start the local Partoo emulator and print its URL",
  description: `Serves the Partoo API (businesses, place action links, search) on 127.0.0.1 from a seed
file, with Partoo's validation errors, 401, 404, 415 and a per-minute rate limit (429 with
Retry-After). Prints its base URL on the first line of stdout and logs each request to
stderr; runs until stopped (Ctrl-C). Point the other commands at it with
PARTOO_API_URL=<that URL> (any non-empty PARTOO_API_KEY unless --api-key is given).

Seed file: {"businesses": [{"id", "code", "name", "status", "place_action_links":
[{"gmb_id", "urls": [{"id", "value", "is_preferred", "is_editable"}]}]}]}
Without --seed, a built-in demo seed is served.

The fault flags make it misbehave on purpose, reproducibly with --fault-seed.
--body-shape, --normalize-urls and --google-refuses rehearse what Partoo leaves open or
passes on from Google (a seed business's "google_refusals" does the latter per store).`,
  options: {
    port: {
      type: "string",
      valueName: "N",
      description: `port to listen on (default ${DEFAULT_EMULATOR_PORT}; 0 picks a free one)`,
    },
    seed: {
      type: "string",
      valueName: "FILE",
      description: "seed file (default: the built-in demo seed)",
    },
    "api-key": {
      type: "string",
      valueName: "KEY",
      description: "the only API key accepted (default: any non-empty key)",
    },
    "rate-limit": {
      type: "string",
      valueName: "N",
      description: `requests per minute per key before 429 (default ${DEFAULT_RATE_LIMIT})`,
    },
    latency: {
      type: "string",
      valueName: "MS",
      description: "delay every response by MS milliseconds",
    },
    "error-rate": {
      type: "string",
      valueName: "P",
      description: "answer a share P (0 to 1) of requests with 503, unprocessed",
    },
    "throttle-rate": {
      type: "string",
      valueName: "P",
      description:
        "answer a share P (0 to 1) of requests with 429, as if other clients used the quota",
    },
    "lose-rate": {
      type: "string",
      valueName: "P",
      description: "apply a share P (0 to 1) of POSTs, then drop the connection without answering",
    },
    "body-shape": {
      type: "string",
      valueName: "SHAPE",
      description:
        'POST body accepted: "array" (the bare list, default) or "wrapped" ({"place_action_links": [...]})',
    },
    "normalize-urls": {
      type: "boolean",
      description:
        "store URLs normalized as some servers do (host case, default port, percent-encoding, NFC, trailing slash)",
    },
    "google-refuses": {
      type: "string",
      valueName: "TYPE=CODE,…",
      description:
        "Google refuses these types for every business with its error code, e.g. FOOD_DELIVERY=INVALID_LOCATION_CATEGORY",
    },
    "fault-seed": {
      type: "string",
      valueName: "N",
      description: "seed of the random faults, to repeat a run exactly (default: random)",
    },
  },
  async run({ options, io, services }: CommandContext): Promise<number> {
    const port = parseNumberOption(options, "port", { min: 0, fallback: DEFAULT_EMULATOR_PORT })!;
    if (port > 65535) throw new UsageError(`--port ${port}: expected a port from 0 to 65535`);
    const apiKey = stringOption(options, "api-key");
    if (apiKey !== undefined && apiKey.trim() === "") {
      throw new UsageError(
        "--api-key: give a non-empty key, or leave the flag out to accept any key",
      );
    }
    const rateLimitPerMinute = parseNumberOption(options, "rate-limit", {
      min: 1,
      fallback: DEFAULT_RATE_LIMIT,
    })!;
    const seedFile = stringOption(options, "seed");
    const seed =
      seedFile === undefined
        ? await loadDemoSeed()
        : await readSeedFile(services.resolve(seedFile), seedFile);
    const faultSeed = parseNumberOption(options, "fault-seed", { min: 0 });
    const faults = parseFaults(options);
    const bodyShape = parseBodyShape(stringOption(options, "body-shape"));
    const refusals = parseRefusals(stringOption(options, "google-refuses"));

    let emulator: Emulator;
    try {
      emulator = await startEmulator({
        port,
        seed,
        rateLimitPerMinute,
        faults,
        ...(bodyShape === undefined ? {} : { bodyShape }),
        ...(options["normalize-urls"] === true ? { normalizeUrls: true } : {}),
        ...(apiKey === undefined ? {} : { apiKey: apiKey.trim() }),
        ...(faultSeed === undefined ? {} : { random: seededRandom(faultSeed) }),
        onRequest: (entry) => services.log(describeRequest(entry)),
      });
    } catch (error) {
      throw listenError(port, error);
    }
    for (const business of seed.businesses) {
      for (const [type, code] of refusals) emulator.store.refuseType(business.id, type, code);
    }
    io.stdout.write(`${emulator.baseUrl}\n`);
    services.log(
      `Partoo emulator: ${seed.businesses.length} businesses, ${apiKey === undefined ? "any non-empty API key" : "one API key"}, ${rateLimitPerMinute} requests/min; stop with Ctrl-C`,
    );
    await stopped(services.signal);
    await emulator.close();
    services.log("Partoo emulator stopped");
    return 0;
  },
};

function parseFaults(options: CommandContext["options"]): Faults {
  const probability = (name: string): number | undefined => {
    const value = parseNumberOption(options, name, { min: 0, integer: false });
    if (value !== undefined && value > 1) {
      throw new UsageError(`--${name} ${value}: expected a probability from 0 to 1, e.g. 0.1`);
    }
    return value;
  };
  const latencyMs = parseNumberOption(options, "latency", { min: 0 });
  const serverErrorRate = probability("error-rate");
  const rateLimitRate = probability("throttle-rate");
  const loseResponseRate = probability("lose-rate");
  return {
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(serverErrorRate === undefined ? {} : { serverErrorRate }),
    ...(rateLimitRate === undefined ? {} : { rateLimitRate }),
    ...(loseResponseRate === undefined ? {} : { loseResponseRate }),
  };
}

function parseBodyShape(value: string | undefined): BodyShape | undefined {
  if (value === undefined || value === "array" || value === "wrapped") return value;
  throw new UsageError(`--body-shape ${JSON.stringify(value)}: expected array or wrapped`);
}

/** `TYPE=CODE,…` into the type → Google code pairs; a code must be one of Google's. */
function parseRefusals(value: string | undefined): [string, string][] {
  if (value === undefined) return [];
  return value.split(",").map((pair) => {
    const [type = "", code = ""] = pair.split("=").map((part) => part.trim());
    if (!/^[A-Z][A-Z0-9_]*$/.test(type) || !GOOGLE_ERROR_CODES.includes(code)) {
      throw new UsageError(
        `--google-refuses ${JSON.stringify(pair.slice(0, 60))}: expected TYPE=CODE with one of Google's codes (${GOOGLE_ERROR_CODES.join(", ")}), e.g. FOOD_DELIVERY=INVALID_LOCATION_CATEGORY`,
      );
    }
    return [type, code];
  });
}

function describeRequest(entry: RequestLogEntry): string {
  const query = entry.query === "" ? "" : `?${entry.query}`;
  const status = entry.status === 0 ? "no response" : String(entry.status);
  const fault = entry.fault === undefined ? "" : ` [${entry.fault}]`;
  const ms = (entry.endTime ?? entry.time) - entry.time;
  return `${entry.method} ${entry.path}${query} ${status}${fault} ${ms} ms`;
}

function listenError(port: number, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    return new UsageError(
      `--port ${port}: the port is in use; choose another one, or --port 0 for a free one`,
      {
        cause: error,
      },
    );
  }
  if (code === "EACCES") {
    return new UsageError(
      `--port ${port}: not allowed to listen on this port; use one above 1023`,
      {
        cause: error,
      },
    );
  }
  return error as Error;
}

/** Resolves when the run is asked to stop (SIGINT/SIGTERM through io.signal); never without a signal. */
function stopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
