/**
 * Fleets for the apply, pacing and memory benchmarks: store directories that differ from each
 * other in a known way, emulator seeds whose live links differ from every store (so that each
 * one needs a write), and a state document as a confirmed apply would have left it.
 */
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { DesiredStore, LiveLink, LiveLinks, StateDocument } from "../../../src/core/model.js";
import { STATE_VERSION } from "../../../src/core/model.js";
import { recordAfterApply } from "../../../src/core/record.js";
import type { SeedBusiness, SeedDocument } from "../../../src/emulator/seed.js";
import { generateStoresInTempDir, storeYaml } from "../generate-stores.js";
import { serializeStateDocument } from "../../../src/state/document.js";

export const FLEET_SIZE = 10_000;

let fleet: Promise<{ dir: string; stores: DesiredStore[] }> | undefined;
let applied: Promise<AppliedFleet> | undefined;

/**
 * The 10,000 generated stores, written once for every benchmark of the run (they only read
 * them) and removed when the process exits.
 */
export function sharedFleet(): Promise<{ dir: string; stores: DesiredStore[] }> {
  fleet ??= generateStoresInTempDir(FLEET_SIZE).then(({ dir, stores }) => {
    process.once("exit", () => rmSync(path.dirname(dir), { recursive: true, force: true }));
    return { dir, stores };
  });
  return fleet;
}

export interface AppliedFleet {
  readonly dir: string;
  readonly stores: readonly DesiredStore[];
  /** Live links equal to the stores, for the emulator. */
  readonly seed: SeedDocument;
  /** A state document recording every store as applied (do not write to it: copy it). */
  readonly state: string;
}

/** The shared fleet, applied: see appliedFleet. */
export function sharedAppliedFleet(): Promise<AppliedFleet> {
  applied ??= sharedFleet().then(async ({ dir, stores }) => {
    const { seed, state } = await appliedFleet(stores, dir);
    const file = path.join(path.dirname(dir), "applied-state.json");
    await writeFile(file, serializeStateDocument(state));
    return { dir, stores, seed, state: file };
  });
  return applied;
}

/** A directory of a benchmark's own (its runs' state files, metrics, store variants). */
export function privateRoot(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), "partoo-links-bench-"));
}

/** The store with one more link in its first type: a change that needs one POST. */
export function withExtraLink(store: DesiredStore, tag: string): DesiredStore {
  const [type, list] = Object.entries(store.links)[0]!;
  const extra = { url: `https://${tag}.example.com/${store.code}`, preferred: false };
  return { ...store, links: { ...store.links, [type]: [...list, extra] } };
}

/** Writes the stores as files into `dir` (created if needed), a batch at a time. */
export async function writeStores(dir: string, stores: readonly DesiredStore[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const batch = 64;
  for (let start = 0; start < stores.length; start += batch) {
    await Promise.all(
      stores
        .slice(start, start + batch)
        .map((store) => writeFile(path.join(dir, `${store.code}.yaml`), storeYaml(store))),
    );
  }
}

/** The Partoo business id of a store without business_id in its file (addressed by c-{code}). */
function businessIdOf(store: DesiredStore, index: number): string {
  return store.businessId ?? `e${index.toString(16).padStart(23, "0")}`;
}

/**
 * Every store's business, with a link someone set by hand in Partoo in the store's first type
 * (which the file does not list): live differs from every store file, so each needs a write.
 */
export function staleSeed(stores: readonly DesiredStore[]): SeedDocument {
  return {
    businesses: stores.map((store, index): SeedBusiness => ({
      id: businessIdOf(store, index),
      code: store.code,
      name: store.code,
      status: "open",
      place_action_links: [
        {
          gmb_id: Object.keys(store.links)[0]!,
          urls: [{ value: `https://old.example.com/${store.code}`, is_preferred: false }],
        },
      ],
    })),
  };
}

/**
 * A fleet already applied: live holds exactly the stores' links (with ids), and the state
 * document records each store as confirmed, with the hash of its file in `dir`.
 */
export async function appliedFleet(
  stores: readonly DesiredStore[],
  dir: string,
): Promise<{ seed: SeedDocument; state: StateDocument }> {
  let id = 1;
  const businesses: SeedBusiness[] = [];
  const records: Record<string, ReturnType<typeof recordAfterApply>> = {};
  const now = new Date("2024-05-01T10:00:00.000Z");
  for (const [index, store] of stores.entries()) {
    const live: Record<string, LiveLink[]> = {};
    for (const [type, list] of Object.entries(store.links)) {
      live[type] = list.map((link) => ({ id: id++, ...link, editable: true }));
    }
    businesses.push({
      id: businessIdOf(store, index),
      code: store.code,
      name: store.code,
      status: "open",
      place_action_links: Object.entries(live).map(([type, links]) => ({
        gmb_id: type,
        urls: links.map((link) => ({
          id: link.id,
          value: link.url,
          is_preferred: link.preferred,
          is_editable: true,
        })),
      })),
    });
    const bytes = await readFile(path.join(dir, `${store.code}.yaml`));
    records[store.code] = recordAfterApply({
      desired: store,
      live: live as LiveLinks,
      fileHash: createHash("sha256").update(bytes).digest("hex"),
      commit: "0123456789abcdef0123456789abcdef01234567",
      now,
    });
  }
  return { seed: { businesses }, state: { version: STATE_VERSION, stores: records } };
}
