import {
  CapExceededError,
  capWarnings,
  checkCaps,
  prepareApply,
  resolveCaps,
} from "../../../src/reconcile/prepare-apply.js";
import { selectStoresToPush } from "../../../src/core/select.js";
import { hashDesiredStore } from "../../../src/core/hash.js";
import type { DesiredStore, StateDocument } from "../../../src/core/model.js";
import { A, B, C, applied, recordOf, store, want } from "../core/plan-fixtures.js";

const paris = store({ SHOP_ONLINE: want(A) });
const lyon = store({ SHOP_ONLINE: want(C) }, { code: "lyon-01", businessId: "b-lyon" });
const state: StateDocument = {
  version: 2,
  stores: {
    // paris-01 had two links: the file now deletes one.
    "paris-01": recordOf(store({ SHOP_ONLINE: want(A, B) }), {
      SHOP_ONLINE: applied(`1:${A}`, `2:${B}`),
    }),
    "gone-01": recordOf(store({ SHOP_ONLINE: want(A) }, { code: "gone-01" }), {
      SHOP_ONLINE: applied(`3:${A}`),
    }),
  },
};
const desired = new Map<string, DesiredStore>([
  ["paris-01", paris],
  ["lyon-01", lyon],
]);
const entries = [...desired.values()].map((s) => ({ code: s.code, hash: hashDesiredStore(s) }));

function prepare(caps: { maxStores?: number; maxDeletedLinks?: number }, prune = false) {
  return prepareApply({
    state,
    selection: selectStoresToPush(entries, state, { prune }),
    desired,
    fileHashes: new Map([["paris-01", "f".repeat(64)]]),
    fileOf: (code) => `stores/${code}.yaml`,
    prune,
    caps: { maxStores: caps.maxStores, maxDeletedLinks: caps.maxDeletedLinks ?? 100 },
  });
}

describe("preparing an apply", () => {
  test("builds one job per store to push, with its address, file hash and expected deletions", () => {
    const prepared = prepare({});
    expect(prepared.jobs.map((job) => [job.code, job.address, job.expectedDeletions])).toEqual([
      ["lyon-01", "b-lyon", 0],
      ["paris-01", "c-paris-01", 1],
    ]);
    expect(prepared.jobs[1]!.fileHash).toBe("f".repeat(64));
    expect(prepared.jobs[1]!.previous).toBe(state.stores["paris-01"]);
    expect(prepared.reservedDeletions).toBe(1);
    expect(prepared.unmanaged).toEqual(["gone-01"]);
  });

  test("with --prune-removed a removed store is a job to clear, not an unmanaged one", () => {
    const prepared = prepare({}, true);
    expect(prepared.unmanaged).toEqual([]);
    const gone = prepared.jobs.find((job) => job.code === "gone-01")!;
    expect(gone.desired).toBeUndefined();
    expect(gone.address).toBe("c-gone-01");
    expect(prepared.reservedDeletions).toBe(2);
  });

  test("refuses past --max-stores, naming the flag, before anything is sent", () => {
    expect(() => prepare({ maxStores: 1 })).toThrow(CapExceededError);
    expect(() => prepare({ maxStores: 1 })).toThrow(
      /^2 stores to push, more than --max-stores 1; nothing was sent/,
    );
    expect(prepare({ maxStores: 2 }).jobs).toHaveLength(2);
  });

  test("refuses when the files delete more links than --max-deleted-links", () => {
    expect(() => prepare({ maxDeletedLinks: 0 })).toThrow(
      /^the store files delete 1 links, more than --max-deleted-links 0; nothing was sent/,
    );
    expect(prepare({ maxDeletedLinks: 1 }).reservedDeletions).toBe(1);
  });
});

describe("the caps of the fleet file", () => {
  test("fill in what the flags leave out, and a flag overrides them", () => {
    const fleet = { maxStores: 5, maxDeletedLinks: 300 };
    expect(resolveCaps({ maxStores: undefined, maxDeletedLinks: undefined }, fleet)).toEqual({
      maxStores: 5,
      maxDeletedLinks: 300,
      sources: { maxStores: "fleet", maxDeletedLinks: "fleet" },
    });
    expect(resolveCaps({ maxStores: 2, maxDeletedLinks: undefined }, fleet)).toMatchObject({
      maxStores: 2,
      maxDeletedLinks: 300,
    });
    expect(resolveCaps({ maxStores: undefined, maxDeletedLinks: undefined }, undefined)).toEqual({
      maxStores: undefined,
      maxDeletedLinks: 100,
      sources: { maxStores: "default", maxDeletedLinks: "default" },
    });
  });

  test("the plan's warning counts the deletions apply reserves, and names where the cap comes from", () => {
    const selection = selectStoresToPush(entries, state, { prune: true });
    const caps = resolveCaps(
      { maxStores: undefined, maxDeletedLinks: undefined },
      {
        maxDeletedLinks: 1,
      },
    );
    const check = checkCaps({ state, selection, desired }, caps);
    expect(check.reservedDeletions).toBe(2);
    expect(capWarnings(check, caps)).toEqual([
      "this change deletes 2 links; the sync's --max-deleted-links is 1 (the fleet file's caps), so it will stop before sending anything: raise caps.max_deleted_links in the fleet file if the change is meant",
    ]);
    expect(() =>
      prepareApply({
        state,
        selection,
        desired,
        fileHashes: new Map(),
        fileOf: () => undefined,
        prune: true,
        caps,
      }),
    ).toThrow("more than --max-deleted-links 1 (the fleet file's caps); nothing was sent");
    expect(
      capWarnings(
        checkCaps(
          { state, selection, desired },
          resolveCaps({ maxStores: undefined, maxDeletedLinks: undefined }, undefined),
        ),
        caps,
      ),
    ).toEqual([]);
  });
});
