/**
 * Realistic store files in bulk, for benchmarks and large-fleet tests: a chain of
 * restaurants, retail stores and salons across French cities, with the shorthand, comments,
 * preferred links, empty managed types and a share of stores addressed by business_id.
 * Deterministic for a given seed.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { DesiredLink, DesiredStore } from "../../src/core/model.js";

export interface GenerateOptions {
  /** Same seed, same stores (default 1). */
  readonly seed?: number;
  /** Share of stores with a business_id (default 0.1). */
  readonly businessIdShare?: number;
}

const CITIES = [
  "paris",
  "lyon",
  "marseille",
  "toulouse",
  "nice",
  "nantes",
  "strasbourg",
  "montpellier",
  "bordeaux",
  "lille",
  "rennes",
  "reims",
  "toulon",
  "grenoble",
  "dijon",
  "angers",
  "nimes",
  "brest",
  "tours",
  "limoges",
];

const KINDS = {
  restaurant: {
    host: "order.bistro.example.com",
    types: ["FOOD_ORDERING", "FOOD_TAKEOUT", "FOOD_DELIVERY", "DINING_RESERVATION"],
    comment: "Restaurant",
  },
  retail: {
    host: "shop.example.com/stores",
    types: ["SHOP_ONLINE", "APPOINTMENT"],
    comment: "Retail store",
  },
  salon: {
    host: "booking.salon.example.com",
    types: ["APPOINTMENT", "ONLINE_APPOINTMENT"],
    comment: "Salon",
  },
} as const;

const PAGES = [
  "",
  "?mode=takeout",
  "/menu",
  "/gift-cards",
  "?service=colour",
  "/click-and-collect",
];

import { seededRandom } from "../../src/emulator/faults.js";

export { seededRandom };

/** The code of the index-th generated store: paris-0001, lyon-0001, …, paris-0002, … */
export function generatedCode(index: number): string {
  const city = CITIES[index % CITIES.length]!;
  return `${city}-${String(Math.floor(index / CITIES.length) + 1).padStart(4, "0")}`;
}

export function generateStore(
  index: number,
  random: () => number,
  businessIdShare = 0.1,
): DesiredStore {
  const code = generatedCode(index);
  const roll = random();
  const kind = roll < 0.45 ? KINDS.restaurant : roll < 0.8 ? KINDS.retail : KINDS.salon;
  const links: Record<string, DesiredLink[]> = {};
  for (const type of kind.types) {
    if (random() < 0.3) continue;
    const count = random() < 0.15 ? 0 : 1 + Math.floor(random() * 3);
    const preferredAt = random() < 0.8 ? 0 : -1;
    links[type] = Array.from({ length: count }, (_, i) => ({
      url: `https://${kind.host}/${code}${PAGES[(i + index) % PAGES.length]}${i > 0 ? `#${i}` : ""}`,
      preferred: i === preferredAt,
    }));
  }
  if (Object.keys(links).length === 0)
    links[kind.types[0]] = [{ url: `https://${kind.host}/${code}`, preferred: true }];
  if (random() < businessIdShare) {
    const businessId = Array.from({ length: 24 }, () =>
      Math.floor(random() * 16).toString(16),
    ).join("");
    return { code, businessId, links };
  }
  return { code, links };
}

/** The store as a person would write it: modeline, comment, shorthand for links that are not preferred. */
export function storeYaml(store: DesiredStore, comment = "Generated store"): string {
  const lines = [
    "# yaml-language-server: $schema=../schemas/store.schema.json",
    `# ${comment}`,
    `code: ${store.code}`,
  ];
  // Quoted: an id such as 5409e35… would otherwise be read by YAML as a number.
  if (store.businessId !== undefined) lines.push(`business_id: "${store.businessId}"`);
  lines.push("links:");
  for (const [type, list] of Object.entries(store.links)) {
    if (list.length === 0) {
      lines.push(`  ${type}: [] # managed, kept empty`);
      continue;
    }
    lines.push(`  ${type}:`);
    for (const link of list) {
      if (link.preferred) lines.push(`    - url: ${link.url}`, "      preferred: true");
      else lines.push(`    - ${link.url}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Writes `count` store files into `dir` (created if needed) and returns the stores written. */
export async function generateStores(
  dir: string,
  count: number,
  options: GenerateOptions = {},
): Promise<DesiredStore[]> {
  const random = seededRandom(options.seed ?? 1);
  await mkdir(dir, { recursive: true });
  const stores = Array.from({ length: count }, (_, index) =>
    generateStore(index, random, options.businessIdShare),
  );
  await writeInBatches(
    stores.map((store) => ({ file: path.join(dir, `${store.code}.yaml`), text: storeYaml(store) })),
  );
  return stores;
}

/**
 * A fleet file for generated stores (SPEC §2a): a default every store inherits, and one
 * profile per kind of store, with `{code}` and `{city}` placeholders.
 */
export const GENERATED_FLEET_FILE = `# yaml-language-server: $schema=./schemas/config.schema.json
defaults:
  links:
    SHOP_ONLINE:
      - url: https://shop.example.com/stores/{code}
        preferred: true
profiles:
  restaurant:
    links:
      FOOD_ORDERING:
        - url: https://order.bistro.example.com/{code}
          preferred: true
      FOOD_TAKEOUT:
        - https://order.bistro.example.com/{code}?mode=takeout
      DINING_RESERVATION:
        - https://book.bistro.example.com/{city}/{code}
  salon:
    links:
      APPOINTMENT:
        - url: https://booking.salon.example.com/{city}/{code}
          preferred: true
`;

/**
 * The index-th thin store file, inheriting from GENERATED_FLEET_FILE: a profile (or only the
 * defaults), `vars`, now and then a list of its own, a `TYPE: ~` or a business_id. `extra`
 * adds one ONLINE_APPOINTMENT link of its own, a type no template has.
 */
export function thinStoreYaml(index: number, random: () => number, extra = false): string {
  const code = generatedCode(index);
  const roll = random();
  const profile = roll < 0.45 ? "restaurant" : roll < 0.8 ? undefined : "salon";
  const lines = ["# yaml-language-server: $schema=../schemas/store.schema.json", `code: ${code}`];
  if (random() < 0.1) lines.push(`business_id: "${Math.floor(random() * 2 ** 48).toString(16)}"`);
  if (profile !== undefined)
    lines.push(`profile: ${profile}`, "vars:", `  city: ${code.split("-")[0]}`);
  const own: string[] = [];
  if (profile === "restaurant" && random() < 0.3) {
    own.push("  FOOD_DELIVERY:", `    - https://delivery-partner.example.net/fr/bistro-${code}`);
  }
  if (random() < 0.05) own.push("  SHOP_ONLINE: ~ # not sold online");
  if (extra) own.push("  ONLINE_APPOINTMENT:", `    - https://extra.example.com/${code}`);
  lines.push(...(own.length === 0 ? ["links: {}"] : ["links:", ...own]));
  return `${lines.join("\n")}\n`;
}

/**
 * Writes `count` thin store files into `dir` and the fleet file they inherit from into
 * `fleetFile`; the stores whose index is in `extra` get an extra link (thinStoreYaml).
 */
export async function generateThinStores(
  dir: string,
  fleetFile: string,
  count: number,
  { seed = 1, extra = new Set<number>() }: { seed?: number; extra?: ReadonlySet<number> } = {},
): Promise<void> {
  const random = seededRandom(seed);
  await mkdir(dir, { recursive: true });
  await writeFile(fleetFile, GENERATED_FLEET_FILE);
  const files = Array.from({ length: count }, (_, index) => ({
    file: path.join(dir, `${generatedCode(index)}.yaml`),
    text: thinStoreYaml(index, random, extra.has(index)),
  }));
  await writeInBatches(files);
}

/** Writes many small files, a batch at a time. */
export async function writeInBatches(
  files: readonly { readonly file: string; readonly text: string }[],
): Promise<void> {
  const batch = 64;
  for (let start = 0; start < files.length; start += batch) {
    await Promise.all(
      files.slice(start, start + batch).map(({ file, text }) => writeFile(file, text)),
    );
  }
}

/** A fresh temporary directory of `count` generated store files; call `remove` when done. */
export async function generateStoresInTempDir(
  count: number,
  options: GenerateOptions = {},
): Promise<{ dir: string; stores: DesiredStore[]; remove: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "partoo-links-stores-"));
  const dir = path.join(root, "stores");
  const stores = await generateStores(dir, count, options);
  return { dir, stores, remove: () => rm(root, { recursive: true, force: true }) };
}
