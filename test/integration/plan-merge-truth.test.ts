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

describe("links kept because they are not editable", () => {
  test("plan --live shows them in text and Markdown, so a reviewer knows Google shows them", async () => {
    fleet = await startFleet();
    const partner = "https://partner.example.org/paris-01";
    addBusinesses(fleet, ["paris-01"], () => ({
      SHOP_ONLINE: [{ value: partner, is_editable: false }],
    }));
    await fleet.writeStore("paris-01", { SHOP_ONLINE: [oldUrl("paris-01", "/a")] });
    const text = await fleet.run(["plan", "--live"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `kept, not editable (owned by someone else; Google shows them too): SHOP_ONLINE ${partner}`,
    );
    const markdown = await fleet.run(["plan", "--live", "--format", "markdown"]);
    expect(markdown.stdout).toContain("Kept, not editable");
    expect(markdown.stdout).toContain("partner.example.org/paris-01");
  });
});

describe("what the last runs left behind", () => {
  test("plan and apply hint at the stores the last drift found drifted, until they are repaired", async () => {
    fleet = await startFleet();
    const names = codes(3);
    addBusinesses(fleet, names);
    for (const code of names) await fleet.writeStore(code, { SHOP_ONLINE: [oldUrl(code, "/a")] });
    expect((await fleet.run(["apply"])).code).toBe(0);
    for (const code of names.slice(0, 2)) {
      fleet.emu.emulator.store.addLink(`c-${code}`, "SHOP_ONLINE", {
        value: oldUrl(code, "/spam"),
      });
    }
    expect((await fleet.run(["drift"])).code).toBe(2);
    const hint = `2 stores drifted since the last apply (${names[0]}, ${names[1]}): run apply --repair`;
    const plan = await fleet.run(["plan"]);
    expect(plan.stdout).toContain(hint);
    expect(plan.stdout.split("\n").filter((line) => line.includes("drifted since"))).toHaveLength(
      1,
    );
    const apply = await fleet.run(["apply"]);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain(hint);
    const repair = await fleet.run(["apply", "--repair"]);
    expect(repair.code).toBe(0);
    expect(repair.stdout).not.toContain("drifted since");
    expect((await fleet.run(["plan"])).stdout).not.toContain("drifted since");
  });

  test("a store applied after a failed attempt shows no stale 'the last apply failed' line", async () => {
    fleet = await startFleet();
    await fleet.writeStore("late-1", { SHOP_ONLINE: [oldUrl("late-1", "/a")] });
    const failed = await fleet.run(["apply"]);
    expect(failed.code).toBe(1);
    addBusinesses(fleet, ["late-1"]);
    // The plan before the retry says it failed: that is true then.
    expect((await fleet.run(["plan"])).stdout).toContain("the last apply failed");
    const retry = await fleet.run(["apply"]);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain("✓ late-1: applied (1 created)");
    expect(retry.stdout).not.toContain("the last apply failed");
  });

  test("an interrupted apply lists the stores not started as a count and the first few", async () => {
    const controller = new AbortController();
    fleet = await startFleet({
      onRequest: (entry) => {
        if (entry.method === "POST") controller.abort(new Error("SIGINT"));
      },
    });
    const names = codes(20);
    addBusinesses(fleet, names);
    for (const code of names) await fleet.writeStore(code, { SHOP_ONLINE: [oldUrl(code, "/a")] });
    const result = await fleet.run(["apply", "--concurrency", "1"], { signal: controller.signal });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(`… 19 stores not started: ${names.slice(1, 6).join(", ")} and 14 more\n`),
    );
    expect(result.stdout).not.toContain(names[6]!);
  });
});
