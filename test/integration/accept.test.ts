/**
 * `partoo-links accept` end to end on the emulator: drift found, accepted into the files
 * (comments intact), after which validate passes, plan --live has nothing to send and
 * apply only reads.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { runCli } from "../helpers/cli.js";
import { addBusinesses, liveIds, startFleet, url, type Fleet } from "./apply-fleet.js";

const NAMES = ["lille-01", "lyon-01", "paris-01"];
let fleet: Fleet;

afterEach(async () => {
  await fleet?.close();
});

/** paris-01 as a person writes it: comments, aligned trailing comments, the shorthand. */
const PARIS = `# yaml-language-server: $schema=../schemas/store.schema.json
code: paris-01          # the flagship
links:
  # the web shop
  SHOP_ONLINE:
    - url: ${url("paris-01")}    # main page
      preferred: true
    - ${url("paris-01", "/gifts")}   # for the holidays

  FOOD_TAKEOUT: []    # managed and kept empty
`;

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
  await writeFile(storeFile("paris-01"), PARIS);
  expect((await fleet.run(["apply"])).code).toBe(0);
  fleet.emu.emulator.clearRequests();
}

function storeFile(code: string): string {
  return path.join(fleet.storesDir, `${code}.yaml`);
}

async function files(): Promise<Record<string, string>> {
  const texts: Record<string, string> = {};
  for (const code of NAMES) texts[code] = await readFile(storeFile(code), "utf8");
  return texts;
}

/** In Partoo, by hand: paris-01 loses its gift link and gains a sale link and a takeout link. */
function changeParisLive(): void {
  const store = fleet.emu.emulator.store;
  store.removeLink(liveIds(fleet, "paris-01")[`SHOP_ONLINE ${url("paris-01", "/gifts")}`]!);
  store.addLink("c-paris-01", "SHOP_ONLINE", { value: url("paris-01", "/sale") });
  store.addLink("c-paris-01", "FOOD_TAKEOUT", {
    value: "https://eat.example.com/paris-01",
    is_preferred: true,
  });
}

describe("accept", () => {
  test("drift, then accept --drifted: the file matches live, plan --live is empty, apply only reads", async () => {
    await appliedFleet();
    changeParisLive();
    expect((await fleet.run(["drift"])).code).toBe(2);
    const before = await files();

    const result = await fleet.run(["accept", "--drifted"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("stores/paris-01.yaml: 3 edits");
    const after = await files();
    expect(after["lille-01"]).toBe(before["lille-01"]);
    expect(after["lyon-01"]).toBe(before["lyon-01"]);
    expect(after["paris-01"]).toBe(`# yaml-language-server: $schema=../schemas/store.schema.json
code: paris-01          # the flagship
links:
  # the web shop
  SHOP_ONLINE:
    - url: ${url("paris-01")} # main page
      preferred: true
    - ${url("paris-01", "/sale")}

  FOOD_TAKEOUT:
    - url: https://eat.example.com/paris-01
      preferred: true
    # managed and kept empty
`);
    // Accepting changes nothing on Partoo.
    expect(fleet.requests().filter((entry) => entry.method !== "GET")).toEqual([]);

    // validate takes no --state, so it is run directly.
    const validate = await runCli(["validate", "--stores", fleet.storesDir], { cwd: fleet.dir });
    expect(validate.code).toBe(0);
    const plan = await fleet.run(["plan", "--live", "--detailed-exitcode"]);
    expect(plan.code).toBe(0);
    fleet.emu.emulator.clearRequests();
    const apply = await fleet.run(["apply"]);
    expect(apply.code).toBe(0);
    expect(fleet.requests("POST")).toEqual([]);
    expect(fleet.requests("GET").length).toBeGreaterThan(0);
    const state = await fleet.state();
    expect(Object.keys(state.stores["paris-01"]!.links!).sort()).toEqual([
      "FOOD_TAKEOUT",
      "SHOP_ONLINE",
    ]);
    expect((await fleet.run(["drift"])).code).toBe(0);
  });

  test("--only accepts the named stores and leaves a store that matches live byte for byte", async () => {
    await appliedFleet();
    changeParisLive();
    const before = await files();
    const result = await fleet.run(["accept", "--only", "lyon-01,paris-01", "--format", "json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      accepted: { code: string }[];
      unchanged: string[];
    };
    expect(report.accepted.map((store) => store.code)).toEqual(["paris-01"]);
    expect(report.unchanged).toEqual(["lyon-01"]);
    expect((await files())["lyon-01"]).toBe(before["lyon-01"]);
  });

  test("without a recorded drift check, says to run drift first and exits 0", async () => {
    await appliedFleet();
    const before = await files();
    const result = await fleet.run(["accept", "--drifted"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("nothing to accept; run drift first");
    expect(fleet.requests()).toEqual([]);
    expect(await files()).toEqual(before);
  });

  test("never writes a non-editable link into a file", async () => {
    await appliedFleet();
    const store = fleet.emu.emulator.store;
    store.addLink("c-lyon-01", "SHOP_ONLINE", {
      value: "https://partner.example.com/lyon-01",
      is_editable: false,
    });
    store.addLink("c-lyon-01", "FOOD_TAKEOUT", {
      value: "https://eat.example.com/lyon-01",
      is_editable: false,
    });
    store.removeLink(liveIds(fleet, "lyon-01")[`SHOP_ONLINE ${url("lyon-01", "/gifts")}`]!);
    expect((await fleet.run(["drift"])).code).toBe(2);
    expect((await fleet.run(["accept", "--drifted"])).code).toBe(0);
    const text = (await files())["lyon-01"]!;
    expect(text).not.toContain("partner.example.com");
    expect(text).not.toContain("eat.example.com");
    expect(text).not.toContain("/gifts");
    expect((await fleet.run(["plan", "--live", "--detailed-exitcode"])).code).toBe(0);
  });

  test("skips an invalid file and a store whose live read fails, accepts the others, exits 1", async () => {
    await appliedFleet();
    changeParisLive();
    fleet.emu.emulator.store.removeLink(
      liveIds(fleet, "lyon-01")[`SHOP_ONLINE ${url("lyon-01", "/gifts")}`]!,
    );
    expect((await fleet.run(["drift"])).code).toBe(2);
    const broken = "code: lille-01\nlinks:\n  SHOP_ONLINE: [\n";
    await writeFile(storeFile("lille-01"), broken);
    // lyon-01 now names a business Partoo does not have: its live read answers 404.
    const lyon = (await files())["lyon-01"];
    await writeFile(
      storeFile("lyon-01"),
      lyon!.replace("code: lyon-01", "code: lyon-01\nbusiness_id: gone"),
    );
    const lyonBefore = (await files())["lyon-01"];

    const result = await fleet.run(["accept", "--only", "lille-01,lyon-01,paris-01"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ lille-01: stores\/lille-01\.yaml is invalid/);
    expect(result.stdout).toMatch(/✗ lyon-01: /);
    expect(result.stdout).toContain("stores/paris-01.yaml: 3 edits");
    const after = await files();
    expect(after["lille-01"]).toBe(broken);
    expect(after["lyon-01"]).toBe(lyonBefore);
    expect(after["paris-01"]).toContain(url("paris-01", "/sale"));
    expect(result.stdout.split("\n").every((line) => !line.includes("    at "))).toBe(true);
  });

  test("refuses to run without --drifted or --only", async () => {
    fleet = await startFleet();
    const result = await fleet.run(["accept"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/give either --drifted .* or --only/);
  });

  test("a live URL that no store file may hold skips that store and leaves its file as it was", async () => {
    await appliedFleet();
    const before = await files();
    fleet.emu.emulator.store.addLink("c-paris-01", "SHOP_ONLINE", {
      value: "http://insecure.example.com/paris-01\n# injected: true",
    });
    const result = await fleet.run(["accept", "--only", "paris-01"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /✗ paris-01: its live links do not make a valid store file \(stores\/paris-01\.yaml:\d+:\d+: .*\); fix the link in Partoo first\n/,
    );
    expect(await files()).toEqual(before);
  });
});
