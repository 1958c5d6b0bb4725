import { emptyState, type StateDocument, type StoreRecord } from "../../../src/core/model.js";
import {
  pushReason,
  selectStoresToPush,
  unchangedFileCandidates,
} from "../../../src/core/select.js";

const ok = { status: "ok", at: "2024-05-01T00:00:00.000Z" } as const;
const failed = {
  status: "failed",
  at: "2024-05-02T00:00:00.000Z",
  errorClass: "PartooHttpError:400",
  message: "INVALID_URL",
} as const;

function record(extra: Partial<StoreRecord> = {}): StoreRecord {
  return { address: "c-x", hash: "h1", fileHash: "f1", links: {}, lastAttempt: ok, ...extra };
}

describe("which stores to push", () => {
  const rows: [
    string,
    StoreRecord | undefined,
    { only?: boolean; repair?: boolean },
    string | undefined,
  ][] = [
    ["a store never applied", undefined, {}, "never-applied"],
    [
      "a store whose first apply failed",
      { address: "c-x", lastAttempt: failed },
      {},
      "never-applied",
    ],
    ["a store whose file changed", record({ hash: "h0" }), {}, "file-changed"],
    ["a store whose last apply failed", record({ lastAttempt: failed }), {}, "last-apply-failed"],
    ["an unchanged store", record(), {}, undefined],
    [
      "an unchanged store marked drifted, without --repair",
      record({ drift: { checkedAt: "t", drifted: true } }),
      {},
      undefined,
    ],
    [
      "an unchanged store marked drifted, with --repair",
      record({ drift: { checkedAt: "t", drifted: true } }),
      { repair: true },
      "drifted",
    ],
    ["an unchanged store named by --only", record(), { only: true }, "only"],
  ];
  test.each(rows)("%s", (_name, storeRecord, options, expected) => {
    expect(pushReason("h1", storeRecord, options)).toBe(expected);
  });

  const state: StateDocument = {
    version: 2,
    stores: {
      same: record(),
      changed: record({ hash: "h0" }),
      failing: record({ lastAttempt: failed }),
      drifted: record({ drift: { checkedAt: "t", drifted: true } }),
      gone: record(),
    },
  };
  const entries = ["same", "changed", "failing", "drifted", "fresh"].map((code) => ({
    code,
    hash: "h1",
  }));

  test("is decided from the state: changed, never applied, failed; removed stores are listed apart", () => {
    expect(selectStoresToPush(entries, state)).toEqual({
      push: [
        { code: "changed", reason: "file-changed" },
        { code: "failing", reason: "last-apply-failed" },
        { code: "fresh", reason: "never-applied" },
      ],
      removed: ["gone"],
      unchanged: ["drifted", "same"],
    });
  });

  test("--repair adds the drifted stores and --prune-removed the removed ones", () => {
    const selection = selectStoresToPush(entries, state, { repair: true, prune: true });
    expect(selection.push.map((entry) => `${entry.code}:${entry.reason}`)).toEqual([
      "changed:file-changed",
      "drifted:drifted",
      "failing:last-apply-failed",
      "fresh:never-applied",
      "gone:pruned",
    ]);
  });

  test("--only limits to the named stores and always pushes them", () => {
    const selection = selectStoresToPush(entries, state, { only: ["same", "changed", "gone"] });
    expect(selection).toEqual({
      push: [
        { code: "changed", reason: "file-changed" },
        { code: "same", reason: "only" },
      ],
      removed: ["gone"],
      unchanged: [],
    });
  });

  test("an empty state pushes every store with a file", () => {
    const selection = selectStoresToPush(entries, emptyState());
    expect(selection.push).toHaveLength(5);
    expect(selection.removed).toEqual([]);
  });
});

describe("the files that need not be parsed again", () => {
  const state: StateDocument = {
    version: 2,
    stores: {
      same: record({ address: "c-same" }),
      byId: record({ address: "5409c35a97bbc544d8e26737" }),
      failing: record({ lastAttempt: failed }),
      drifted: record({ address: "c-drifted", drift: { checkedAt: "t", drifted: true } }),
      neverApplied: { address: "c-neverApplied", lastAttempt: failed },
      noFileHash: { address: "c-noFileHash", hash: "h1", lastAttempt: ok },
    },
  };

  test("are the confirmed stores, with the business id their address implies", () => {
    const candidates = unchangedFileCandidates(state);
    const codes = [...Object.keys(state.stores), "unknown", "constructor", "__proto__"];
    expect(codes.map((code) => [code, candidates.get(code)])).toEqual([
      ["same", { fileHash: "f1" }],
      ["byId", { fileHash: "f1", businessId: "5409c35a97bbc544d8e26737" }],
      ["failing", undefined],
      ["drifted", { fileHash: "f1" }],
      ["neverApplied", undefined],
      ["noFileHash", undefined],
      ["unknown", undefined],
      ["constructor", undefined],
      ["__proto__", undefined],
    ]);
  });

  test("exclude the stores that --only or --repair reconcile against live", () => {
    const candidates = unchangedFileCandidates(state, { only: ["same"], repair: true });
    const codes = Object.keys(state.stores);
    expect(codes.filter((code) => candidates.get(code) !== undefined)).toEqual(["byId"]);
  });
});
