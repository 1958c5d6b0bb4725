/** Options shared by several commands, and parsers for option values. */
import path from "node:path";
import { checkApiBaseUrl } from "../base-url.js";
import { UsageError } from "../errors.js";
import { didYouMean } from "../core/suggest.js";
import { DEFAULT_STATE_SPEC } from "../state/open.js";
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from "../partoo/defaults.js";
import { OUTPUT_FORMATS, type OutputFormat } from "../core/render/formats.js";
import type { OptionSpec, OptionValues } from "./io.js";

export { DEFAULT_STATE_SPEC };
export const DEFAULT_STORES_DIR = "stores";
export const DEFAULT_API_URL = "https://api.partoo.co/v2";

export const storesOption: Record<string, OptionSpec> = {
  // Every command that reads store files reads the fleet file they inherit from.
  config: {
    type: "string",
    valueName: "FILE",
    description: "the fleet file of shared link templates (default partoo-links.yaml, if present)",
  },
  stores: {
    type: "string",
    valueName: "DIR",
    description: `directory of store files (default ${DEFAULT_STORES_DIR})`,
  },
};
export const stateOption: Record<string, OptionSpec> = {
  state: {
    type: "string",
    valueName: "SPEC",
    description: `state document: file:PATH or github:BRANCH (default ${DEFAULT_STATE_SPEC})`,
  },
};
export const onlyOption: Record<string, OptionSpec> = {
  only: { type: "string", valueName: "CODE[,CODE…]", description: "limit to these store codes" },
};
export const apiUrlOption: Record<string, OptionSpec> = {
  "api-url": {
    type: "string",
    valueName: "URL",
    description: `Partoo API base URL (default $PARTOO_API_URL, else ${DEFAULT_API_URL})`,
  },
};
export const DEFAULT_RATE_LIMIT = DEFAULT_RATE_LIMIT_PER_MINUTE;
export const rateLimitOption: Record<string, OptionSpec> = {
  "rate-limit": {
    type: "string",
    valueName: "N",
    description: `Partoo requests per minute, paced evenly (default ${DEFAULT_RATE_LIMIT}, Partoo's default limit)`,
  },
};

/** --rate-limit, for every command that calls Partoo. */
export function parseRateLimit(options: OptionValues): number {
  return parseNumberOption(options, "rate-limit", { min: 1, fallback: DEFAULT_RATE_LIMIT })!;
}

export function formatOption(
  formats: readonly string[] = OUTPUT_FORMATS,
): Record<string, OptionSpec> {
  return {
    format: {
      type: "string",
      valueName: formats.join("|"),
      description: `output format (default ${formats[0]})`,
    },
  };
}

export function stringOption(options: OptionValues, name: string): string | undefined {
  const value = options[name];
  return typeof value === "string" ? value : undefined;
}

export function storesDir(options: OptionValues, cwd: string): string {
  return path.resolve(cwd, stringOption(options, "stores") ?? DEFAULT_STORES_DIR);
}

export function parseFormat<F extends string = OutputFormat>(
  options: OptionValues,
  formats: readonly F[] = OUTPUT_FORMATS as unknown as readonly F[],
): F {
  const value = stringOption(options, "format") ?? formats[0]!;
  if (!(formats as readonly string[]).includes(value)) {
    throw new UsageError(
      `--format ${value}: unknown format${didYouMean(value, formats)}; use one of ${formats.join(", ")}`,
    );
  }
  return value as F;
}

/** `--only a,b` as a list of codes, or undefined when the flag is absent. */
export function parseOnly(options: OptionValues): string[] | undefined {
  const value = stringOption(options, "only");
  if (value === undefined) return undefined;
  const codes = value
    .split(",")
    .map((code) => code.trim())
    .filter((code) => code !== "");
  if (codes.length === 0)
    throw new UsageError("--only: give at least one store code, e.g. --only paris-01,lyon-02");
  return codes;
}

export function parseNumberOption(
  options: OptionValues,
  name: string,
  { min, integer = true, fallback }: { min: number; integer?: boolean; fallback?: number },
): number | undefined {
  const raw = stringOption(options, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (
    raw.trim() === "" ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min
  ) {
    throw new UsageError(
      `--${name} ${raw}: expected ${integer ? "a whole number" : "a number"} of at least ${min}`,
    );
  }
  return value;
}

/** The API base URL: --api-url, else PARTOO_API_URL, else production. */
export function apiUrl(
  options: OptionValues,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const raw = stringOption(options, "api-url") ?? env["PARTOO_API_URL"] ?? DEFAULT_API_URL;
  return checkApiBaseUrl(raw, "--api-url", DEFAULT_API_URL);
}

/** PARTOO_API_KEY, required by commands that call the API. Never printed. */
export function apiKey(env: Readonly<Record<string, string | undefined>>, command: string): string {
  const key = env["PARTOO_API_KEY"]?.trim();
  if (!key) {
    throw new UsageError(
      `${command} calls the Partoo API: set PARTOO_API_KEY to your Partoo API key (partoo-links emulator accepts any key)`,
    );
  }
  return key;
}
