/**
 * Plans and apply reports that say what the merge will do (issue 19, items 5, 7, 8): a
 * changed URL is an update in place, non-editable links are shown as kept, the drift the
 * last `drift` recorded is hinted at, and no stale line survives a successful apply.
 */
import {
  addBusinesses,
  codes,
  liveIds,
  liveMismatches,
  startFleet,
  type Fleet,
} from "./apply-fleet.js";

let fleet: Fleet;

afterEach(async () => {
  await fleet?.close();
});

const oldUrl = (code: string, path: string): string => `https://shop.example.com/${code}${path}`;
const newUrl = (code: string, path: string): string => `https://shop.example.net/${code}${path}`;

/** `count` stores with two SHOP_ONLINE links on shop.example.com, applied once. */
async function appliedOnOldDomain(count: number): Promise<string[]> {
  fleet = await startFleet();
  const names = codes(count);
  addBusinesses(fleet, names);
  for (const code of names) {
    await fleet.writeStore(code, {
      SHOP_ONLINE: [{ url: oldUrl(code, "/a"), preferred: true }, oldUrl(code, "/b")],
    });
  }
  expect((await fleet.run(["apply"])).code).toBe(0);
  fleet.emu.emulator.clearRequests();
  return names;
}

async function moveToNewDomain(names: readonly string[]): Promise<void> {
  for (const code of names) {
    await fleet.writeStore(code, {
      SHOP_ONLINE: [{ url: newUrl(code, "/a"), preferred: true }, newUrl(code, "/b")],
    });
  }
}

describe("a URL changed in a file", () => {
  test("a fleet-wide domain change is planned as updates, none deleted or created", async () => {
    const names = await appliedOnOldDomain(5);
    await moveToNewDomain(names);
    const plan = await fleet.run(["plan"]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(
      "Plan: 5 stores to change: 0 links to create, 10 to update, 0 to delete",
    );
    expect(plan.stdout).toContain(`~ ${oldUrl(names[0]!, "/a")} → ${newUrl(names[0]!, "/a")}`);
    const json = JSON.parse((await fleet.run(["plan", "--format", "json"])).stdout) as {
      stores: { changes: { op: string; url: string; fromUrl?: string }[] }[];
    };
    expect(json.stores[0]!.changes[0]).toMatchObject({
      op: "update",
      url: newUrl(names[0]!, "/a"),
      fromUrl: oldUrl(names[0]!, "/a"),
    });
  });

  test("is applied in place: the ids are kept, nothing counts against --max-deleted-links", async () => {
    const names = await appliedOnOldDomain(5);
    const before = Object.fromEntries(names.map((code) => [code, liveIds(fleet, code)]));
    await moveToNewDomain(names);
    const result = await fleet.run(["apply", "--max-deleted-links", "0"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`✓ ${names[0]}: applied (2 updated)`);
    expect(liveMismatches(fleet)).toEqual([]);
    const state = await fleet.state();
    for (const code of names) {
      const after = liveIds(fleet, code);
      expect(Object.keys(after)).toHaveLength(2);
      expect(after[`SHOP_ONLINE ${newUrl(code, "/a")}`]).toBe(
        before[code]![`SHOP_ONLINE ${oldUrl(code, "/a")}`],
      );
      expect(after[`SHOP_ONLINE ${newUrl(code, "/b")}`]).toBe(
        before[code]![`SHOP_ONLINE ${oldUrl(code, "/b")}`],
      );
      expect(state.stores[code]!.links!["SHOP_ONLINE"]!.map((link) => link.id)).toEqual([
        after[`SHOP_ONLINE ${newUrl(code, "/a")}`],
        after[`SHOP_ONLINE ${newUrl(code, "/b")}`],
      ]);
    }
    // One POST per store, each carrying the kept ids with the new values.
    expect(fleet.postedCodes().sort()).toEqual(names);
    const again = await fleet.run(["apply"]);
    expect(again.stdout).toContain("Apply: 0 applied, 0 unchanged, 0 failed");
  });

  test("an update whose response is lost is confirmed by reading again, never duplicated", async () => {
    const names = await appliedOnOldDomain(3);
    const before = Object.fromEntries(names.map((code) => [code, liveIds(fleet, code)]));
    await moveToNewDomain(names);
    fleet.emu.emulator.setFaults({ loseResponseNext: 3, methods: ["POST"] });
    const result = await fleet.run(["apply"]);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/2 updated, 1 lost responses resolved/g)).toHaveLength(3);
    expect(fleet.postedCodes().sort()).toEqual(names);
    expect(liveMismatches(fleet)).toEqual([]);
    for (const code of names) {
      expect(Object.values(liveIds(fleet, code)).sort()).toEqual(
        Object.values(before[code]!).sort(),
      );
    }
  });
});
