import { planStoreLive } from "../../../src/core/diff-live.js";
import { planStoreOffline } from "../../../src/core/diff-offline.js";
import type { DesiredStore, LiveLink, LiveLinks, StoreRecord } from "../../../src/core/model.js";
import { A, B, C, D, applied, live, recordOf, show, store, want } from "./plan-fixtures.js";

const S = "SHOP_ONLINE";
const T = "FOOD_TAKEOUT";
const O = "FOOD_ORDERING";
/** The paths of A and B on another domain, and a third host. */
const NEW_A = A.replace("shop.example.com", "shop.example.net");
const NEW_B = B.replace("shop.example.com", "shop.example.net");
const OTHER = "https://book.example.org";

interface Row {
  readonly name: string;
  readonly desired: DesiredStore | undefined;
  readonly record: StoreRecord | undefined;
  readonly live: LiveLinks;
  readonly changes: string[];
  /** The POST body, types in order, each link as "id:url*" (no id: created). */
  readonly writes: string[];
}

/** A record of a confirmed apply whose file had `links` (ids given inline). */
function appliedStore(links: Record<string, string[]>, extra: Partial<StoreRecord> = {}) {
  const desiredLinks = Object.fromEntries(
    Object.entries(links).map(([type, entries]) => [
      type,
      entries.map((entry) => {
        const url = entry.slice(entry.indexOf(":") + 1);
        return url.endsWith("*")
          ? { url: url.slice(0, -1), preferred: true }
          : { url, preferred: false };
      }),
    ]),
  );
  const appliedLinks = Object.fromEntries(
    Object.entries(links).map(([type, entries]) => [type, applied(...entries)]),
  );
  return recordOf(store(desiredLinks), appliedLinks, extra);
}

function showWrites(writes: ReturnType<typeof planStoreLive>["writes"]): string[] {
  return writes.map(
    (write) =>
      `${write.type}=[${write.urls
        .map((url) => `${url.id ?? "new"}:${url.value}${url.is_preferred ? "*" : ""}`)
        .join(", ")}]`,
  );
}

const rows: Row[] = [
  {
    name: "a store never applied gets the file's links created, all pending",
    desired: store({ [S]: want(`${A}*`, B) }),
    record: undefined,
    live: {},
    changes: [`create ${S} ${A}* pending`, `create ${S} ${B} pending`],
    writes: [`${S}=[new:${A}*, new:${B}]`],
  },
  {
    name: "a store never applied whose live links already match needs nothing",
    desired: store({ [S]: want(`${A}*`, B) }),
    record: undefined,
    live: { [S]: live(`1:${A}*`, `2:${B}`) },
    changes: [],
    writes: [],
  },
  {
    name: "a store never applied loses the live links its file does not list, in managed types",
    desired: store({ [S]: want(A), [T]: [] }),
    record: undefined,
    live: { [S]: live(`1:${A}`, `2:${B}`), [T]: live(`3:${C}`) },
    changes: [`delete ${T} ${C} #3 pending`, `delete ${S} ${B} #2 pending`],
    writes: [`${T}=[]`, `${S}=[1:${A}]`],
  },
  {
    name: "an unchanged file with matching live links needs nothing",
    desired: store({ [S]: want(`${A}*`, B) }),
    record: appliedStore({ [S]: [`1:${A}*`, `2:${B}`] }),
    live: { [S]: live(`1:${A}*`, `2:${B}`) },
    changes: [],
    writes: [],
  },
  {
    name: "a link added to the file is created and the kept ones keep their ids",
    desired: store({ [S]: want(`${A}*`, B, C) }),
    record: appliedStore({ [S]: [`1:${A}*`, `2:${B}`] }),
    live: { [S]: live(`1:${A}*`, `2:${B}`) },
    changes: [`create ${S} ${C} pending`],
    writes: [`${S}=[1:${A}*, 2:${B}, new:${C}]`],
  },
  {
    name: "a link removed from the file is deleted",
    desired: store({ [S]: want(`${A}*`) }),
    record: appliedStore({ [S]: [`1:${A}*`, `2:${B}`] }),
    live: { [S]: live(`1:${A}*`, `2:${B}`) },
    changes: [`delete ${S} ${B} #2 pending`],
    writes: [`${S}=[1:${A}*]`],
  },
  {
    name: "a preferred swap in the file is two updates, not a delete and a create",
    desired: store({ [S]: want(A, `${B}*`) }),
    record: appliedStore({ [S]: [`1:${A}*`, `2:${B}`] }),
    live: { [S]: live(`1:${A}*`, `2:${B}`) },
    changes: [`update ${S} ${A} #1 pending`, `update ${S} ${B}* #2 pending`],
    writes: [`${S}=[1:${A}, 2:${B}*]`],
  },
  {
    name: "a preferred swap made live by someone else is drift, repaired by two updates",
    desired: store({ [S]: want(`${A}*`, B) }),
    record: appliedStore({ [S]: [`1:${A}*`, `2:${B}`] }),
    live: { [S]: live(`1:${A}`, `2:${B}*`) },
    changes: [`update ${S} ${A}* #1 drift`, `update ${S} ${B} #2 drift`],
    writes: [`${S}=[1:${A}*, 2:${B}]`],
  },
  {
    name: "a link deleted live by someone else is recreated as drift",
    desired: store({ [S]: want(`${A}*`, B) }),
    record: appliedStore({ [S]: [`1:${A}*`, `2:${B}`] }),
    live: { [S]: live(`1:${A}*`) },
    changes: [`create ${S} ${B} drift`],
    writes: [`${S}=[1:${A}*, new:${B}]`],
  },
  {
    name: "an editable link added live by someone else in a managed type is deleted as drift",
    desired: store({ [S]: want(`${A}*`) }),
    record: appliedStore({ [S]: [`1:${A}*`] }),
    live: { [S]: live(`1:${A}*`, `7:${D}`) },
    changes: [`delete ${S} ${D} #7 drift`],
    writes: [`${S}=[1:${A}*]`],
  },
  {
    name: "a link the file now prefers and someone deleted live is a change of both origins",
    desired: store({ [S]: want(`${A}*`) }),
    record: appliedStore({ [S]: [`1:${A}`] }),
    live: { [S]: [] },
    changes: [`create ${S} ${A}* both`],
    writes: [`${S}=[new:${A}*]`],
  },
  {
    name: "a type removed from the file is cleared",
    desired: store({ [S]: want(`${A}*`) }),
    record: appliedStore({ [S]: [`1:${A}*`], [T]: [`3:${C}`] }),
    live: { [S]: live(`1:${A}*`), [T]: live(`3:${C}`) },
    changes: [`delete ${T} ${C} #3 pending`],
    writes: [`${T}=[]`],
  },
  {
    name: "clearing a removed type also deletes what someone added there since, as drift",
    desired: store({ [S]: want(`${A}*`) }),
    record: appliedStore({ [S]: [`1:${A}*`], [T]: [`3:${C}`] }),
    live: { [S]: live(`1:${A}*`), [T]: live(`3:${C}`, `4:${D}`) },
    changes: [`delete ${T} ${C} #3 pending`, `delete ${T} ${D} #4 drift`],
    writes: [`${T}=[]`],
  },
  {
    name: "a type never listed is unmanaged and never touched",
    desired: store({ [S]: want(`${A}*`) }),
    record: appliedStore({ [S]: [`1:${A}*`] }),
    live: { [S]: live(`1:${A}*`), FOOD_DELIVERY: live(`9:${D}`) },
    changes: [],
    writes: [],
  },
  {
    name: "a URL moved between two types is a delete in one and a create in the other",
    desired: store({ [S]: [], [O]: want(`${A}*`) }),
    record: appliedStore({ [S]: [`1:${A}*`] }),
    live: { [S]: live(`1:${A}*`) },
    changes: [`create ${O} ${A}* pending`, `delete ${S} ${A} #1 pending`],
    writes: [`${O}=[new:${A}*]`, `${S}=[]`],
  },
  {
    name: "a non-editable link with the URL of a desired one counts as present",
    desired: store({ [S]: want(A) }),
    record: undefined,
    live: { [S]: live(`5:${A}!`) },
    changes: [],
    writes: [],
  },
  {
    name: "non-editable links are re-sent unchanged with their ids when their type is sent",
    desired: store({ [S]: want(A, B) }),
    record: appliedStore({ [S]: [`1:${A}`] }),
    live: { [S]: live(`1:${A}`, `5:${C}*!`) },
    changes: [`create ${S} ${B} pending`],
    writes: [`${S}=[5:${C}*, 1:${A}, new:${B}]`],
  },
  {
    name: "non-editable links are never deleted, even when their type is cleared",
    desired: store({}),
    record: appliedStore({ [S]: [`1:${A}`] }),
    live: { [S]: live(`1:${A}`, `5:${C}!`) },
    changes: [`delete ${S} ${A} #1 pending`],
    writes: [`${S}=[5:${C}]`],
  },
  {
    name: "a preferred non-editable link is left as it is when the file wants none preferred",
    desired: store({ [S]: want(A) }),
    record: appliedStore({ [S]: [`1:${A}`] }),
    live: { [S]: live(`5:${C}*!`, `1:${A}`) },
    changes: [],
    writes: [],
  },
  {
    name: "a preferred non-editable link wins over the file's preferred link, which stays not preferred",
    desired: store({ [S]: want(`${A}*`, B) }),
    record: undefined,
    live: { [S]: live(`5:${C}*!`) },
    changes: [`create ${S} ${A} pending`, `create ${S} ${B} pending`],
    writes: [`${S}=[5:${C}*, new:${A}, new:${B}]`],
  },
  {
    name: "a link of ours still preferred next to a preferred non-editable one is demoted",
    desired: store({ [S]: want(`${A}*`) }),
    record: appliedStore({ [S]: [`1:${A}*`] }),
    live: { [S]: live(`5:${C}*!`, `1:${A}*`) },
    changes: [`update ${S} ${A} #1 drift`],
    writes: [`${S}=[5:${C}*, 1:${A}]`],
  },
  {
    name: "a URL added twice live is reduced to one",
    desired: store({ [S]: want(A) }),
    record: appliedStore({ [S]: [`1:${A}`] }),
    live: { [S]: live(`1:${A}`, `2:${A}`) },
    changes: [`delete ${S} ${A} #2 duplicate drift`],
    writes: [`${S}=[1:${A}]`],
  },
  {
    name: "of two copies of a URL, the one already in the wanted preferred state is kept",
    desired: store({ [S]: want(`${A}*`) }),
    record: undefined,
    live: { [S]: live(`1:${A}`, `2:${A}*`) },
    changes: [`delete ${S} ${A} #1 duplicate pending`],
    writes: [`${S}=[2:${A}*]`],
  },
  {
    name: "an editable copy of a non-editable URL is deleted",
    desired: store({ [S]: want(A) }),
    record: appliedStore({ [S]: [`5:${A}`] }),
    live: { [S]: live(`5:${A}!`, `6:${A}`) },
    changes: [`delete ${S} ${A} #6 duplicate drift`],
    writes: [`${S}=[5:${A}]`],
  },
  {
    name: "a deleted store file, pruned, has its managed types cleared and the others untouched",
    desired: undefined,
    record: appliedStore({ [S]: [`1:${A}*`, `2:${B}`] }),
    live: { [S]: live(`1:${A}*`, `2:${B}`, `5:${C}!`), [T]: live(`8:${D}`) },
    changes: [`delete ${S} ${A} #1 pending`, `delete ${S} ${B} #2 pending`],
    writes: [`${S}=[5:${C}]`],
  },
  {
    name: "a store whose last apply failed is compared with its last confirmed apply",
    desired: store({ [S]: want(`${A}*`, B) }),
    record: appliedStore(
      { [S]: [`1:${A}*`] },
      {
        lastAttempt: {
          status: "failed",
          at: "2024-05-02T10:00:00.000Z",
          errorClass: "PartooHttpError:400",
          message: "TOO_MANY_VALUES",
        },
      },
    ),
    live: { [S]: live(`1:${A}*`) },
    changes: [`create ${S} ${B} pending`],
    writes: [`${S}=[1:${A}*, new:${B}]`],
  },
  {
    name: "a store that now addresses another business is compared as never applied",
    desired: store({ [S]: want(A) }, { businessId: "5409c35a97bbc544d8e26737" }),
    record: appliedStore({ [S]: [`1:${A}`] }),
    live: { [S]: live(`4:${B}`) },
    changes: [`update ${S} ${A} #4 was ${B} pending`],
    writes: [`${S}=[4:${A}]`],
  },
  {
    name: "a URL changed in the file is an update that keeps the link's id, not a delete and a create",
    desired: store({ [S]: want(`${NEW_A}*`, B) }),
    record: appliedStore({ [S]: [`1:${A}*`, `2:${B}`] }),
    live: { [S]: live(`1:${A}*`, `2:${B}`) },
    changes: [`update ${S} ${NEW_A}* #1 was ${A} pending`],
    writes: [`${S}=[1:${NEW_A}*, 2:${B}]`],
  },
  {
    name: "a domain change pairs each link with the one of the same path, whatever the order",
    desired: store({ [S]: want(NEW_B, `${NEW_A}*`) }),
    record: appliedStore({ [S]: [`1:${A}*`, `2:${B}`] }),
    live: { [S]: live(`1:${A}*`, `2:${B}`) },
    changes: [
      `update ${S} ${NEW_B} #2 was ${B} pending`,
      `update ${S} ${NEW_A}* #1 was ${A} pending`,
    ],
    writes: [`${S}=[2:${NEW_B}, 1:${NEW_A}*]`],
  },
  {
    name: "a path change on one host pairs the links of that host first",
    desired: store({ [S]: want(`${OTHER}/x`, `${A}/renamed`) }),
    record: appliedStore({ [S]: [`1:${OTHER}/y`, `2:${A}`] }),
    live: { [S]: live(`2:${A}`, `1:${OTHER}/y`) },
    changes: [
      `update ${S} ${OTHER}/x #1 was ${OTHER}/y pending`,
      `update ${S} ${A}/renamed #2 was ${A} pending`,
    ],
    writes: [`${S}=[1:${OTHER}/x, 2:${A}/renamed]`],
  },
  {
    name: "links that leave beyond those replaced are deleted, and the added ones beyond are created",
    desired: store({ [S]: want(C) }),
    record: appliedStore({ [S]: [`1:${A}`, `2:${B}`] }),
    live: { [S]: live(`1:${A}`, `2:${B}`) },
    changes: [`update ${S} ${C} #1 was ${A} pending`, `delete ${S} ${B} #2 pending`],
    writes: [`${S}=[1:${C}]`],
  },
  {
    name: "a URL changed live by someone else is changed back in place, as drift",
    desired: store({ [S]: want(`${A}*`) }),
    record: appliedStore({ [S]: [`1:${A}*`] }),
    live: { [S]: live(`1:${NEW_A}*`) },
    changes: [`update ${S} ${A}* #1 was ${NEW_A} drift`],
    writes: [`${S}=[1:${A}*]`],
  },
  {
    name: "an extra copy of a kept URL is deleted, never turned into another link",
    desired: store({ [S]: want(A, B) }),
    record: appliedStore({ [S]: [`1:${A}`] }),
    live: { [S]: live(`1:${A}`, `2:${A}`) },
    changes: [`create ${S} ${B} pending`, `delete ${S} ${A} #2 duplicate drift`],
    writes: [`${S}=[1:${A}, new:${B}]`],
  },
  {
    name: "a non-editable link is never the one a changed URL replaces",
    desired: store({ [S]: want(NEW_A) }),
    record: undefined,
    live: { [S]: live(`5:${A}!`) },
    changes: [`create ${S} ${NEW_A} pending`],
    writes: [`${S}=[5:${A}, new:${NEW_A}]`],
  },
];

describe("the live three-way diff", () => {
  test.each(rows.map((row) => [row.name, row] as const))("%s", (_name, row) => {
    const diff = planStoreLive(row.desired, row.record, row.live);
    expect(diff.changes.map(show)).toEqual(row.changes);
    expect(showWrites(diff.writes)).toEqual(row.writes);
  });

  test("a type removed from the file is reported as cleared", () => {
    const row = rows.find(
      (candidate) => candidate.name === "a type removed from the file is cleared",
    )!;
    expect(planStoreLive(row.desired, row.record, row.live).clearedTypes).toEqual([T]);
  });

  test("types never listed are reported as unmanaged", () => {
    const diff = planStoreLive(store({ [S]: want(A) }), undefined, {
      [S]: live(`1:${A}`),
      FOOD_DELIVERY: live(`9:${D}`),
      APPOINTMENT: [],
    });
    expect(diff.unmanagedTypes).toEqual(["FOOD_DELIVERY"]);
  });

  test("a file URL held by a non-editable link is counted as present with a warning", () => {
    const diff = planStoreLive(store({ [S]: want(`${A}*`) }), undefined, {
      [S]: live(`5:${A}!`),
    });
    expect(diff.warnings).toEqual([
      `${S}: ${A} is a non-editable link (owned by someone else): it counts as present and is left as it is (not preferred, where the file says preferred)`,
    ]);
  });

  test("a preferred conflict with a non-editable link is explained in a warning", () => {
    const diff = planStoreLive(store({ [S]: want(`${A}*`) }), undefined, {
      [S]: live(`5:${C}*!`),
    });
    expect(diff.warnings).toEqual([expect.stringContaining(`${A} is kept not preferred`)]);
  });

  test("the write never holds two preferred links", () => {
    for (const row of rows) {
      for (const write of planStoreLive(row.desired, row.record, row.live).writes) {
        expect(write.urls.filter((url) => url.is_preferred).length).toBeLessThanOrEqual(1);
      }
    }
  });

  test("applying the writes makes a second diff empty", () => {
    for (const row of rows) {
      const diff = planStoreLive(row.desired, row.record, row.live);
      // Replay Partoo's per-type replacement: ids kept, new links get fresh ids.
      let next = 100;
      const after: Record<string, readonly LiveLink[]> = { ...row.live };
      for (const write of diff.writes) {
        const before = row.live[write.type] ?? [];
        after[write.type] = write.urls.map((url) => ({
          id: url.id ?? next++,
          url: url.value,
          preferred: url.is_preferred,
          editable: before.find((link) => link.id === url.id)?.editable ?? true,
        }));
      }
      const again = planStoreLive(row.desired, row.record, after);
      expect({ name: row.name, writes: again.writes }).toEqual({ name: row.name, writes: [] });
    }
  });
});

test("a URL listed twice in the desired links is sent once", () => {
  const diff = planStoreLive({ code: "x", links: { SHOP_ONLINE: want(A, A) } }, undefined, {
    SHOP_ONLINE: live(`1:${A}`, `2:${B}`),
  });
  expect(diff.writes).toEqual([
    { type: "SHOP_ONLINE", urls: [{ id: 1, value: A, is_preferred: false }] },
  ]);
});

describe("URLs that differ only by a server's normalization", () => {
  const variants: [string, string][] = [
    ["https://shop.example.com/a", "https://shop.example.com/a/"],
    ["https://shop.example.com/a/", "https://shop.example.com/a"],
    ["https://Shop.Example.COM/a", "https://shop.example.com/a"],
    ["https://shop.example.com:443/a", "https://shop.example.com/a"],
    ["https://shop.example.com/caf%c3%a9", "https://shop.example.com/caf%C3%A9"],
    ["https://shop.example.com/café", "https://shop.example.com/caf%C3%A9"],
    ["https://shop.example.com/cafe\u0301", "https://shop.example.com/caf%C3%A9"],
    ["https://shop.example.com/%7Euser", "https://shop.example.com/~user"],
  ];

  test.each(variants)("the file's %s is present when Partoo holds %s", (file, held) => {
    const desired = store({ [S]: want(`${file}*`) });
    const diff = planStoreLive(desired, recordOf(desired, { [S]: applied(`1:${file}*`) }), {
      [S]: live(`1:${held}*`),
    });
    expect(diff.changes).toEqual([]);
    expect(diff.writes).toEqual([]);
    expect(diff.warnings).toEqual([
      expect.stringContaining(
        `${S}: Partoo holds ${held} where the file says ${file}: the same URL once normalized`,
      ),
    ]);
  });

  test("a preferred change on a normalized link keeps Partoo's spelling and id", () => {
    const desired = store({ [S]: want(`${A}*`) });
    const diff = planStoreLive(desired, undefined, { [S]: live(`7:${A}/`) });
    expect(diff.writes).toEqual([
      { type: S, urls: [{ id: 7, value: `${A}/`, is_preferred: true }] },
    ]);
  });

  test("different paths, queries and schemes still differ: the link is updated to the file's URL", () => {
    for (const held of [`${A}b`, `${A}?x=1`, A.replace("https:", "http:"), `${A}#top`]) {
      const desired = store({ [S]: want(A) });
      const diff = planStoreLive(desired, undefined, { [S]: live(`1:${held}`) });
      expect(diff.changes.map(show)).toEqual([`update ${S} ${A} #1 was ${held} pending`]);
    }
  });
});

describe("type names from outside are only keys", () => {
  const names = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

  /** Live links built without an object literal, which would treat `__proto__` specially. */
  function liveWith(type: string, links: LiveLink[]): LiveLinks {
    const record = Object.create(null) as Record<string, readonly LiveLink[]>;
    record[type] = links;
    record[S] = live(`9:${A}`);
    return record;
  }

  test.each(names)("a live type %s is unmanaged and never crashes the plan", (type) => {
    const desired = store({ [S]: want(A) });
    const diff = planStoreLive(desired, undefined, liveWith(type, live(`1:${B}`)));
    expect(diff.unmanagedTypes).toEqual([type]);
    expect(diff.writes).toEqual([]);
  });

  test.each(names)("a state record that managed %s clears it like any type", (type) => {
    const desired = store({ [S]: want(A) });
    const links = Object.create(null) as Record<string, ReturnType<typeof applied>>;
    links[type] = applied(`1:${B}`);
    links[S] = applied(`9:${A}`);
    const diff = planStoreLive(desired, recordOf(desired, links), liveWith(type, live(`1:${B}`)));
    expect(diff.clearedTypes).toEqual([type]);
    expect(showWrites(diff.writes)).toEqual([`${type}=[]`]);
  });

  test.each(names)("the offline diff, too, clears a recorded type %s", (type) => {
    const desired = store({ [S]: want(A) });
    const links = Object.create(null) as Record<string, ReturnType<typeof applied>>;
    links[type] = applied(`1:${B}`);
    links[S] = applied(`9:${A}`);
    const diff = planStoreOffline(desired, recordOf(desired, links));
    expect(diff.clearedTypes).toEqual([type]);
    expect(diff.changes).toEqual([expect.objectContaining({ type, op: "delete", url: B })]);
  });
});
