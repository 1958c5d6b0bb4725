/**
 * The emulator's seed document (SPEC §7, fixed format), in the API's own shapes:
 * `{"businesses": [{"id", "code", "name", "status", "place_action_links": [{"gmb_id",
 * "urls": [{"id", "value", "is_preferred", "is_editable"}]}]}]}`. Keys Partoo returns
 * besides these are ignored, so a real API response can be pasted in. For convenience a
 * link may leave out `id` (one is given), `is_preferred` (false) and `is_editable` (true).
 * One key of the emulator's own: `google_refusals: {"FOOD_DELIVERY": "INVALID_LOCATION_CATEGORY"}`
 * makes a POST that gives links to such a type a 400 naming Google's code.
 */
import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";
import { DOCUMENTED_STATUSES, GOOGLE_ERROR_CODES, isRecord as isObject } from "./api-doc.js";

export interface SeedUrl {
  readonly id?: number;
  readonly value: string;
  readonly is_preferred?: boolean;
  readonly is_editable?: boolean;
}

export interface SeedTypeLinks {
  readonly gmb_id: string;
  readonly urls?: readonly SeedUrl[];
}

export interface SeedBusiness {
  readonly id: string;
  readonly code?: string | null;
  readonly name?: string;
  readonly status?: string;
  readonly place_action_links?: readonly SeedTypeLinks[];
  /** The emulator's own: types Google refuses for this business, with Google's error code. */
  readonly google_refusals?: Readonly<Record<string, string>>;
}

export interface SeedDocument {
  readonly businesses: readonly SeedBusiness[];
}

/** The seed's shape is wrong at `path`. */
export class SeedError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = "SeedError";
  }
}

/** Checks a parsed seed document; throws SeedError naming the first bad field. */
export function parseSeed(data: unknown): SeedDocument {
  if (!isObject(data) || !Array.isArray(data["businesses"])) {
    throw new SeedError("businesses", 'expected {"businesses": [...]} at the top level');
  }
  const ids = new Set<string>();
  const linkIds = new Set<number>();
  const businesses = data["businesses"].map((raw: unknown, i) => {
    const at = `businesses[${i}]`;
    if (!isObject(raw)) throw new SeedError(at, "expected an object");
    const id = typeof raw["id"] === "number" ? String(raw["id"]) : raw["id"];
    if (typeof id !== "string" || id === "")
      throw new SeedError(`${at}.id`, "expected a non-empty string");
    if (ids.has(id)) throw new SeedError(`${at}.id`, `business id ${id} appears twice`);
    ids.add(id);
    const code = raw["code"] ?? null;
    if (code !== null && (typeof code !== "string" || code === "")) {
      throw new SeedError(`${at}.code`, "expected a non-empty string or null");
    }
    const status = raw["status"] ?? "open";
    if (typeof status !== "string" || !DOCUMENTED_STATUSES.includes(status)) {
      throw new SeedError(`${at}.status`, `expected one of ${DOCUMENTED_STATUSES.join(", ")}`);
    }
    const name = raw["name"] ?? code ?? id;
    if (typeof name !== "string") throw new SeedError(`${at}.name`, "expected a string");
    const links = raw["place_action_links"] ?? [];
    if (!Array.isArray(links)) throw new SeedError(`${at}.place_action_links`, "expected a list");
    const refusals = parseRefusals(raw["google_refusals"], `${at}.google_refusals`);
    return {
      id,
      code,
      name,
      status,
      ...(refusals === undefined ? {} : { google_refusals: refusals }),
      place_action_links: links.map((entry: unknown, j) =>
        parseTypeLinks(entry, `${at}.place_action_links[${j}]`, linkIds),
      ),
    };
  });
  return { businesses };
}

function parseRefusals(raw: unknown, at: string): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) throw new SeedError(at, 'expected {"TYPE": "GOOGLE_CODE"}');
  // Null prototype: a type named __proto__ or constructor is only a key.
  const refusals = Object.create(null) as Record<string, string>;
  for (const [type, code] of Object.entries(raw)) {
    if (typeof code !== "string" || !GOOGLE_ERROR_CODES.includes(code)) {
      throw new SeedError(`${at}.${type}`, `expected one of ${GOOGLE_ERROR_CODES.join(", ")}`);
    }
    refusals[type] = code;
  }
  return refusals;
}

function parseTypeLinks(entry: unknown, at: string, linkIds: Set<number>): SeedTypeLinks {
  if (!isObject(entry)) throw new SeedError(at, "expected an object");
  const type = entry["gmb_id"];
  if (typeof type !== "string" || type === "") {
    throw new SeedError(`${at}.gmb_id`, "expected a place action type, e.g. SHOP_ONLINE");
  }
  const urls = entry["urls"] ?? [];
  if (!Array.isArray(urls)) throw new SeedError(`${at}.urls`, "expected a list");
  return {
    gmb_id: type,
    urls: urls.map((url: unknown, k) => parseUrl(url, `${at}.urls[${k}]`, linkIds)),
  };
}

function parseUrl(url: unknown, at: string, linkIds: Set<number>): SeedUrl {
  if (!isObject(url)) throw new SeedError(at, "expected an object");
  const { id, value, is_preferred: preferred = false, is_editable: editable = true } = url;
  if (id !== undefined) {
    if (typeof id !== "number" || !Number.isInteger(id) || id < 1) {
      throw new SeedError(`${at}.id`, "expected a positive integer");
    }
    if (linkIds.has(id)) throw new SeedError(`${at}.id`, `link id ${id} appears twice`);
    linkIds.add(id);
  }
  if (typeof value !== "string" || value === "") {
    throw new SeedError(`${at}.value`, "expected a URL string");
  }
  if (typeof preferred !== "boolean")
    throw new SeedError(`${at}.is_preferred`, "expected true or false");
  if (typeof editable !== "boolean")
    throw new SeedError(`${at}.is_editable`, "expected true or false");
  return {
    ...(id === undefined ? {} : { id }),
    value,
    is_preferred: preferred,
    is_editable: editable,
  };
}

/** Reads and checks a seed file; every problem is a one-line InputError naming the file. */
export async function readSeedFile(file: string, shownAs = file): Promise<SeedDocument> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(
      `${shownAs}: cannot read the seed file (${code}); check the path given to --seed`,
      {
        cause: error,
      },
    );
  }
  text = text.replace(/^\uFEFF/, "");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    const where = position === undefined ? "" : lineAndColumn(text, Number(position));
    throw new InputError(
      `${shownAs}${where}: the seed file is not valid JSON (${message.replace(/\s*\(line \d+ column \d+\)/, "")}); fix the file`,
      { cause: error },
    );
  }
  try {
    return parseSeed(data);
  } catch (error) {
    if (!(error instanceof SeedError)) throw error;
    throw new InputError(
      `${shownAs}: ${error.path}: ${error.problem} (seed format: {"businesses": [{"id", "code", "name", "status", "place_action_links": [{"gmb_id", "urls": [{"id", "value", "is_preferred", "is_editable"}]}]}]})`,
      { cause: error },
    );
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `:${line}:${column}`;
}

/** The built-in seed (src/emulator/demo-seed.json), loaded only when used. */
export async function loadDemoSeed(): Promise<SeedDocument> {
  const module = await import("./demo-seed.json", { with: { type: "json" } });
  return parseSeed(module.default);
}
