/**
 * `partoo-links drift` end to end: an applied fleet on the emulator, changed by hand the way
 * someone would in Partoo, compared with the store files. Drift only ever reads.
 */
import { readFile } from "node:fs/promises";
import { Ajv2020 } from "ajv/dist/2020.js";
import { schemaPath } from "../../src/package-info.js";
import { TEST_API_KEY } from "../helpers/emulator.js";
import {
  addBusinesses,
  liveIds,
  liveMismatches,
  startFleet,
  url,
  type Fleet,
} from "./apply-fleet.js";

const validatePlan = new Ajv2020({ strict: true }).compile(
  JSON.parse(await readFile(schemaPath("plan.schema.json"), "utf8")),
);

const NAMES = ["lille-01", "lyon-01", "paris-01"];
let fleet: Fleet;

afterEach(async () => {
  await fleet?.close();
});

/** Three stores applied; each also has an unmanaged DINING_RESERVATION link live. */
async function appliedFleet(): Promise<void> {
  fleet = await startFleet();
  addBusinesses(fleet, NAMES, (code) => ({
    DINING_RESERVATION: [{ value: `https://book.example.com/${code}` }],
  }));
  for (const code of NAMES) {
    await fleet.writeStore(code, {
      SHOP_ONLINE: [{ url: url(code), preferred: true }, url(code, "/gifts")],
      FOOD_TAKEOUT: [],
    });
  }
  expect((await fleet.run(["apply"])).code).toBe(0);
  fleet.emu.emulator.clearRequests();
}

/** Someone removes paris-01's gift link in Partoo. */
function removeGiftLink(): string {
  const gifts = url("paris-01", "/gifts");
  fleet.emu.emulator.store.removeLink(liveIds(fleet, "paris-01")[`SHOP_ONLINE ${gifts}`]!);
  return gifts;
}

function expectOnlyReads(): void {
  expect(fleet.requests().length).toBeGreaterThan(0);
  expect(fleet.requests().filter((entry) => entry.method !== "GET")).toEqual([]);
}

describe("drift", () => {
  test("exits 0 on a fleet whose live links match the files, reading every store once", async () => {
    await appliedFleet();
    const result = await fleet.run(["drift"]);
    expect(result.code).toBe(0);
    expect(fleet.requests()).toHaveLength(NAMES.length);
    expectOnlyReads();
    const state = await fleet.state();
    for (const code of NAMES) expect(state.stores[code]!.drift?.drifted).toBe(false);
  });

  test("exits 2 after a manual change in a managed type, and names the store and the link", async () => {
    await appliedFleet();
    const gifts = removeGiftLink();
    const result = await fleet.run(["drift"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("paris-01");
    expect(result.stdout).toContain(gifts);
    expect(result.stdout).not.toMatch(/lyon-01|lille-01/);
    expectOnlyReads();
  });

  test("--format json is a valid plan document of the fixed minimal shape", async () => {
    await appliedFleet();
    const gifts = removeGiftLink();
    // And a link added by hand in another store's managed type.
    const spam = url("lyon-01", "/spam");
    fleet.emu.emulator.store.addLink("c-lyon-01", "FOOD_TAKEOUT", { value: spam });
    const result = await fleet.run(["drift", "--format", "json"]);
    expect(result.code).toBe(2);
    const plan = JSON.parse(result.stdout);
    expect(validatePlan(plan)).toBe(true);
    expect(plan.mode).toBe("live");
    expect(
      plan.stores.map(
        (store: { code: string; changes: { type: string; op: string; url: string }[] }) => ({
          code: store.code,
          changes: store.changes.map(({ type, op, url }) => ({ type, op, url })),
        }),
      ),
    ).toEqual([
      { code: "lyon-01", changes: [{ type: "FOOD_TAKEOUT", op: "delete", url: spam }] },
      { code: "paris-01", changes: [{ type: "SHOP_ONLINE", op: "create", url: gifts }] },
    ]);
    expectOnlyReads();
  });

  test("a change in a type the file does not manage, or a partner's link, is not drift", async () => {
    await appliedFleet();
    fleet.emu.emulator.store.addLink("c-paris-01", "DINING_RESERVATION", {
      value: "https://book.example.com/paris-01/other",
    });
    fleet.emu.emulator.store.addLink("c-lyon-01", "FOOD_ORDERING", {
      value: "https://order.example.com/lyon-01",
    });
    fleet.emu.emulator.store.addLink("c-lille-01", "SHOP_ONLINE", {
      value: "https://partner.example.com/lille-01",
      is_editable: false,
    });
    const result = await fleet.run(["drift"]);
    expect(result.code).toBe(0);
    const state = await fleet.state();
    for (const code of NAMES) expect(state.stores[code]!.drift?.drifted).toBe(false);
  });

  test("records drifted stores in the state; apply --repair re-pushes them, plain apply does not", async () => {
    await appliedFleet();
    removeGiftLink();
    expect((await fleet.run(["drift"])).code).toBe(2);
    const state = await fleet.state();
    expect(state.stores["paris-01"]!.drift).toEqual({
      checkedAt: expect.any(String),
      drifted: true,
    });
    expect(state.stores["lyon-01"]!.drift?.drifted).toBe(false);

    fleet.emu.emulator.clearRequests();
    const plain = await fleet.run(["apply"]);
    expect(plain.code).toBe(0);
    expect(fleet.requests()).toEqual([]);

    const repair = await fleet.run(["apply", "--repair"]);
    expect(repair.code).toBe(0);
    expect(repair.stdout).toContain("✓ paris-01: applied (1 created)");
    expect(fleet.postedCodes()).toEqual(["paris-01"]);
    expect(liveMismatches(fleet)).toEqual([]);
    // The repair is recorded: the store is no longer marked drifted, and drift is clean again.
    expect((await fleet.state()).stores["paris-01"]!.drift?.drifted).not.toBe(true);
    fleet.emu.emulator.clearRequests();
    expect((await fleet.run(["drift"])).code).toBe(0);
    expectOnlyReads();
    fleet.emu.emulator.clearRequests();
    await fleet.run(["apply", "--repair"]);
    expect(fleet.requests()).toEqual([]);
  });

  test("exits 2 for a file changed and not applied yet, shown as pending, not drift", async () => {
    await appliedFleet();
    await fleet.writeStore("lyon-01", {
      SHOP_ONLINE: [
        { url: url("lyon-01"), preferred: true },
        url("lyon-01", "/gifts"),
        url("lyon-01", "/new"),
      ],
      FOOD_TAKEOUT: [],
    });
    const result = await fleet.run(["drift", "--format", "json"]);
    expect(result.code).toBe(2);
    const plan = JSON.parse(result.stdout);
    expect(plan.stores).toEqual([
      expect.objectContaining({
        code: "lyon-01",
        changes: [
          expect.objectContaining({ op: "create", url: url("lyon-01", "/new"), origin: "pending" }),
        ],
      }),
    ]);
    expect((await fleet.state()).stores["lyon-01"]!.drift?.drifted).toBe(false);
    const github = await fleet.run(["drift", "--format", "github"]);
    expect(github.stdout.split("\n").filter((line) => line.startsWith("::"))).toEqual([
      "::warning file=stores/lyon-01.yaml,title=partoo-links drift::lyon-01 has changes pending (1 difference)",
    ]);
    expectOnlyReads();
  });

  test("exits 1 when a store cannot be read, after comparing the others", async () => {
    await appliedFleet();
    await fleet.writeStore("ghost-01", { SHOP_ONLINE: [url("ghost-01")] });
    removeGiftLink();
    const result = await fleet.run(["drift"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("ghost-01");
    expect(result.stdout).toContain(url("paris-01", "/gifts"));
    expectOnlyReads();
  });

  test("--sample N reads N stores, those checked longest ago first, so samples cover the fleet in turn", async () => {
    await appliedFleet();
    const readCodes = () =>
      fleet
        .requests()
        .filter((entry) => entry.method === "GET")
        .map((entry) => decodeURIComponent(entry.path.split("/")[3] ?? ""))
        .sort();

    expect((await fleet.run(["drift", "--sample", "2"])).code).toBe(0);
    // Never checked: the first two by code.
    expect(readCodes()).toEqual(["c-lille-01", "c-lyon-01"]);
    fleet.emu.emulator.clearRequests();

    expect((await fleet.run(["drift", "--sample", "2"])).code).toBe(0);
    // paris-01 was never checked: it comes first, then the one checked longest ago.
    expect(readCodes()).toContain("c-paris-01");
    expect(readCodes()).toHaveLength(2);
    const state = await fleet.state();
    expect(NAMES.every((code) => state.stores[code]?.drift?.checkedAt !== undefined)).toBe(true);
  });

  test("--sample N counts as unchanged only the N stores it read, never the whole fleet", async () => {
    await appliedFleet();
    const sampled = await fleet.run(["drift", "--sample", "2"]);
    expect(sampled.code).toBe(0);
    expect(sampled.stdout).toContain("Drift: no changes; 2 unchanged.");
    const json = await fleet.run(["drift", "--sample", "1", "--format", "json"]);
    expect(JSON.parse(json.stdout).summary.unchanged).toBe(1);
    const all = await fleet.run(["drift"]);
    expect(all.stdout).toContain("Drift: no changes; 3 unchanged.");
  });

  test("--sample larger than the fleet reads every store; --sample 0 is a usage error", async () => {
    await appliedFleet();
    expect((await fleet.run(["drift", "--sample", "10"])).code).toBe(0);
    expect(fleet.requests().filter((entry) => entry.method === "GET")).toHaveLength(3);
    const zero = await fleet.run(["drift", "--sample", "0"]);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain("--sample 0: expected a whole number of at least 1");
  });

  test("never shows the API key in any format", async () => {
    await appliedFleet();
    removeGiftLink();
    for (const format of ["text", "json", "markdown", "github"]) {
      const result = await fleet.run(["drift", "--format", format]);
      expect(result.code).toBe(2);
      expect(result.stdout + result.stderr).not.toContain(TEST_API_KEY);
    }
    expect(await fleet.stateText()).not.toContain(TEST_API_KEY);
    expectOnlyReads();
  });
});
