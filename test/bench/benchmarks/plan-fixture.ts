/**
 * The fleet of the offline plan benchmarks: 10,000 store files, all applied (the state
 * document records each as a confirmed apply left it), then a pull request that adds one link
 * to every 1,000th store. Plain store files, or thin ones inheriting from a fleet file.
 */
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { LiveLink, StateDocument, StoreRecord } from "../../../src/core/model.js";
import { STATE_VERSION } from "../../../src/core/model.js";
import { recordAfterApply } from "../../../src/core/record.js";
import { FLEET_FILE, loadFleet, loadStores } from "../../../src/files/index.js";
import { serializeStateDocument } from "../../../src/state/document.js";
import { generateStores, generateThinStores, storeYaml } from "../generate-stores.js";
import { withExtraLink } from "./apply-fleet-fixture.js";

export const PLAN_STORES = 10_000;
export const PLAN_CHANGED = 10;

export interface PlanFixture {
  /** The repository: the working directory of the runs (the fleet file, if any, is here). */
  readonly root: string;
  readonly dir: string;
  readonly state: string;
}

/** What `plan` prints for the pull request. */
export const EXPECTED_SUMMARY = `Plan: ${PLAN_CHANGED} stores to change: ${PLAN_CHANGED} links to create`;

const fixtures = new Map<boolean, Promise<PlanFixture>>();

/**
 * `thin`: store files that inherit most of their links from a fleet file. Written once per
 * run for every benchmark that asks (they only read it), removed when the process exits.
 */
export function sharedPlanFixture({ thin }: { thin: boolean }): Promise<PlanFixture> {
  let fixture = fixtures.get(thin);
  if (fixture === undefined) {
    fixture = planFixture(thin).then((created) => {
      process.once("exit", () => rmSync(created.root, { recursive: true, force: true }));
      return created;
    });
    fixtures.set(thin, fixture);
  }
  return fixture;
}

async function planFixture(thin: boolean): Promise<PlanFixture> {
  const root = await mkdtemp(path.join(os.tmpdir(), "partoo-links-plan-"));
  const dir = path.join(root, "stores");
  const state = path.join(root, ".partoo", "state.json");
  const changed = new Set(
    Array.from({ length: PLAN_CHANGED }, (_, i) => (i * PLAN_STORES) / PLAN_CHANGED),
  );
  const fleetFile = path.join(root, FLEET_FILE);
  if (thin) await generateThinStores(dir, fleetFile, PLAN_STORES);
  const stores = thin ? [] : await generateStores(dir, PLAN_STORES);
  await mkdir(path.dirname(state), { recursive: true });
  await writeFile(state, serializeStateDocument(await appliedState(root, dir)));
  // The pull request.
  if (thin) await generateThinStores(dir, fleetFile, PLAN_STORES, { extra: changed });
  else {
    for (const index of changed) {
      const store = withExtraLink(stores[index]!, "extra");
      await writeFile(path.join(dir, `${store.code}.yaml`), storeYaml(store));
    }
  }
  return { root, dir, state };
}

/**
 * The state after a confirmed apply of every store of `dir`, read as partoo-links reads it
 * (with the fleet file of `root`, if any): live holds exactly the desired links.
 */
async function appliedState(root: string, dir: string): Promise<StateDocument> {
  const { loaded: fleet } = await loadFleet(undefined, root);
  const result = await loadStores(dir, { displayRoot: root, ...(fleet ? { fleet } : {}) });
  if (result.stores.length !== PLAN_STORES) {
    throw new Error(`generated stores should all be valid: ${JSON.stringify(result.issues[0])}`);
  }
  let id = 1;
  const now = new Date("2024-05-01T10:00:00.000Z");
  const records: Record<string, StoreRecord> = {};
  for (const { code, fileHash, store } of result.stores) {
    const live: Record<string, LiveLink[]> = {};
    for (const [type, list] of Object.entries(store.links)) {
      live[type] = list.map((link) => ({ id: id++, ...link, editable: true }));
    }
    const commit = "0123456789abcdef0123456789abcdef01234567";
    records[code] = recordAfterApply({ desired: store, live, fileHash, commit, now });
  }
  return { version: STATE_VERSION, stores: records };
}
