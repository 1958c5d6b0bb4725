/** The flags of the link check (SPEC §5, `--check-links`), shared by validate and plan. */
import type { OptionSpec, OptionValues } from "./io.js";
import { UsageError } from "../errors.js";

/** Which URLs a run fetches: those not in the last-applied state, or every one. */
export type LinkScope = "changed" | "all";

export const DEFAULT_LINK_TIMEOUT_SECONDS = 10;

export const checkLinksOptions: Record<string, OptionSpec> = {
  "check-links": {
    type: "string",
    optionalValue: true,
    valueName: "all",
    description:
      "fetch the URLs that are new or changed against the last-applied state (=all: every URL) and report broken ones",
  },
  "link-timeout": {
    type: "string",
    valueName: "SECONDS",
    description: `with --check-links: the longest one link's check may take, redirects included (default ${DEFAULT_LINK_TIMEOUT_SECONDS})`,
  },
};

export interface CheckLinksRequest {
  readonly scope: LinkScope;
  readonly timeoutMs: number;
}

/** The link check asked for on the command line, or undefined without --check-links. */
export function parseCheckLinks(options: OptionValues): CheckLinksRequest | undefined {
  const value = options["check-links"];
  const timeout = options["link-timeout"];
  if (value === undefined) {
    if (typeof timeout === "string") {
      throw new UsageError("--link-timeout applies to the link check: add --check-links");
    }
    return undefined;
  }
  if (value !== "" && value !== true && value !== "all") {
    throw new UsageError(
      `--check-links=${String(value)}: unknown value; use --check-links (new or changed URLs) or --check-links=all`,
    );
  }
  return { scope: value === "all" ? "all" : "changed", timeoutMs: parseTimeout(timeout) };
}

function parseTimeout(raw: string | boolean | undefined): number {
  if (typeof raw !== "string") return DEFAULT_LINK_TIMEOUT_SECONDS * 1000;
  const seconds = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
    throw new UsageError(
      `--link-timeout ${raw}: expected a number of seconds above 0 and at most 600, e.g. --link-timeout ${DEFAULT_LINK_TIMEOUT_SECONDS}`,
    );
  }
  return Math.round(seconds * 1000);
}

/** Whether every store must be parsed: --check-links=all reads the URLs of unchanged files too. */
export function checksAllLinks(options: OptionValues): boolean {
  return options["check-links"] === "all";
}
