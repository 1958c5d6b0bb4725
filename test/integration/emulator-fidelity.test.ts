/**
 * The emulator as a second opinion on partoo-api.md, end to end: Google's refusals fail
 * only their store, a normalizing server does not make every run re-send, outside type
 * names never crash a live plan or drift, and a body in another shape is refused.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { addBusinesses, codes, startFleet, url, type Fleet } from "./apply-fleet.js";
import { TEST_API_KEY } from "../helpers/emulator.js";

let fleet: Fleet;

afterEach(async () => {
  await fleet?.close();
});

describe("Google's refusals, passed on by Partoo", () => {
  async function fleetWithRefusal(code: string, type: string) {
    fleet = await startFleet();
    addBusinesses(fleet, ["lyon-01", "lyon-03"]);
    fleet.emu.emulator.store.addBusiness({
      id: "id-lyon-02",
      code: "lyon-02",
      status: "open",
      google_refusals: { [type]: code },
    });
    for (const store of ["lyon-01", "lyon-02", "lyon-03"]) {
      await fleet.writeStore(store, {
        SHOP_ONLINE: [url(store)],
        [type]: [`https://order.example.com/${store}`],
      });
    }
  }

  test("apply fails only that store, with the code and a hint naming its file, and records nothing for it", async () => {
    await fleetWithRefusal("INVALID_LOCATION_CATEGORY", "FOOD_DELIVERY");
    const result = await fleet.run(["apply"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "✗ lyon-02: failed: Partoo POST /business/c-lyon-02/place_action_links: 400 Google refused FOOD_DELIVERY: INVALID_LOCATION_CATEGORY: Google refuses FOOD_DELIVERY for this store's category; remove it from stores/lyon-02.yaml",
    );
    expect(result.stdout).toContain("✓ lyon-01: applied");
    expect(result.stdout).toContain("✓ lyon-03: applied");
    const state = await fleet.state();
    expect(state.stores["lyon-01"]?.hash).toBeDefined();
    expect(state.stores["lyon-02"]?.hash).toBeUndefined();
    expect(state.stores["lyon-02"]?.links).toBeUndefined();
    expect(state.stores["lyon-02"]?.lastAttempt).toMatchObject({ status: "failed" });
    // Nothing was applied for the refused store: a POST is all or nothing.
    expect(fleet.live("lyon-02")).toEqual([]);
  });

  test("--format github puts the refusal on the store's file; markdown shows it too", async () => {
    await fleetWithRefusal("INVALID_LOCATION_CATEGORY", "FOOD_DELIVERY");
    const github = await fleet.run(["apply", "--format", "github"]);
    expect(github.stdout).toMatch(
      /::error file=stores\/lyon-02\.yaml,title=partoo-links apply::lyon-02: .*INVALID_LOCATION_CATEGORY: Google refuses FOOD_DELIVERY for this store's category; remove it from stores\/lyon-02\.yaml/,
    );
    // The job summary is the same Markdown as the pull request's result comment.
    const summary = path.join(fleet.dir, "summary.md");
    const markdown = await fleet.run(["apply", "--format", "markdown"], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    for (const text of [markdown.stdout, await readFile(summary, "utf8")]) {
      expect(text).toMatch(/`lyon-02` \| .* \| .*INVALID\\_LOCATION\\_CATEGORY/);
      expect(text).toContain("remove it from stores/lyon-02.yaml");
    }
  });

  test.each([
    [
      "TOO_MANY_VALUES",
      "APPOINTMENT",
      "Google refuses this many links of APPOINTMENT for one store; keep fewer in stores/lyon-02.yaml",
    ],
    ["INVALID_URL", "SHOP_ONLINE", "Google refuses a URL of SHOP_ONLINE"],
    [
      "SCALABLE_DEEP_LINK_INVALID_MULTIPLICITY",
      "FOOD_ORDERING",
      "Google allows one link per domain in FOOD_ORDERING; keep one link per host in stores/lyon-02.yaml",
    ],
    [
      "UNVERIFIED_LOCATION",
      "DINING_RESERVATION",
      "verify it in Google, then apply stores/lyon-02.yaml again",
    ],
  ])("%s on %s is named with a plain hint", async (code, type, hint) => {
    await fleetWithRefusal(code, type);
    const result = await fleet.run(["apply"]);
    expect(result.code).toBe(1);
    const line = result.stdout.split("\n").find((text) => text.startsWith("✗ lyon-02"));
    expect(line).toContain(`Google refused ${type}: ${code}: `);
    expect(line).toContain(hint);
    expect(result.stdout).toContain("Apply: 2 applied, 0 unchanged, 1 failed");
  });
});

describe("a server that normalizes the URLs it stores", () => {
  const spelled = (code: string) => [
    `https://Shop.Example.com/${code}/`,
    `https://shop.example.com:443/${code}/caf%c3%a9`,
    `https://shop.example.com/${code}/cre\u0300me`,
    `https://shop.example.com/${code}/the%7eend`,
  ];

  test("apply twice: the second run sends nothing, and plan --live and drift see no change", async () => {
    fleet = await startFleet({ normalizeUrls: true });
    const names = codes(3);
    addBusinesses(fleet, names);
    for (const code of names) await fleet.writeStore(code, { SHOP_ONLINE: spelled(code) });

    const first = await fleet.run(["apply"]);
    expect(first.stdout).toContain("Apply: 3 applied, 0 unchanged, 0 failed");
    expect(first.code).toBe(0);
    // The emulator did rewrite them: the comparison, not the server, makes them equal.
    expect(fleet.live("store-01")[0]?.urls.map((link) => link.value)).toEqual([
      "https://shop.example.com/store-01",
      "https://shop.example.com/store-01/caf%C3%A9",
      "https://shop.example.com/store-01/cr%C3%A8me",
      "https://shop.example.com/store-01/the%7Eend",
    ]);
    fleet.emu.emulator.clearRequests();

    const again = await fleet.run(["apply", "--only", names.join(",")]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Apply: 0 applied, 3 unchanged, 0 failed");
    expect(fleet.requests("POST")).toEqual([]);
    expect(again.stdout).toContain("the same URL once normalized");

    const plan = await fleet.run(["plan", "--live", "--refresh", "--detailed-exitcode"]);
    expect(plan.code).toBe(0);
    const drift = await fleet.run(["drift"]);
    expect(drift.code).toBe(0);
  });
});

describe("type names from outside", () => {
  test.each(["__proto__", "constructor", "toString", "SOLOPRENEUR_APPOINTMENT"])(
    "a live type %s: plan --live and drift show it unmanaged and never crash",
    async (type) => {
      fleet = await startFleet();
      fleet.emu.emulator.store.addBusiness({
        id: "id-odd-01",
        code: "odd-01",
        place_action_links: [
          { gmb_id: type, urls: [{ value: "https://odd.example.com/odd-01" }] },
          { gmb_id: "SHOP_ONLINE", urls: [{ value: url("odd-01") }] },
        ],
      });
      await fleet.writeStore("odd-01", { SHOP_ONLINE: [url("odd-01"), url("odd-01", "/new")] });
      const plan = await fleet.run(["plan", "--live"]);
      expect(plan.stderr).toBe("");
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain(`unmanaged, left as they are: ${type}`);
      const drift = await fleet.run(["drift"]);
      expect(drift.stderr).not.toMatch(/internal error|TypeError/);
      expect(drift.code).toBe(2);
      expect(drift.stdout).toContain(`unmanaged, left as they are: ${type}`);
      const apply = await fleet.run(["apply"]);
      expect(apply.code).toBe(0);
      // Only the managed type is sent; the other stays as it was.
      expect(fleet.requests("POST").map((entry) => entry.body)).toEqual([
        [expect.objectContaining({ gmb_id: "SHOP_ONLINE" })],
      ]);
      expect(fleet.live("odd-01").map((entry) => entry.gmb_id)).toContain(type);
    },
  );
});

describe("a body in another shape than the one documented", () => {
  async function post(body: unknown) {
    const response = await fetch(`${fleet.emu.baseUrl}/business/c-shape-01/place_action_links`, {
      method: "POST",
      headers: { "x-APIKey": TEST_API_KEY, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  }
  const links = [
    { gmb_id: "SHOP_ONLINE", urls: [{ value: url("shape-01"), is_preferred: false }] },
  ];

  test("the seed's bare array is accepted; the wrapped form is a 400 unless the emulator is told", async () => {
    fleet = await startFleet();
    addBusinesses(fleet, ["shape-01"]);
    expect(await post(links)).toMatchObject({ status: 200 });
    expect(await post({ place_action_links: links })).toMatchObject({
      status: 400,
      body: { error: { json: { _schema: [expect.stringContaining("expected a list")] } } },
    });
    await fleet.close();
    fleet = await startFleet({ bodyShape: "wrapped" });
    addBusinesses(fleet, ["shape-01"]);
    expect(await post({ place_action_links: links })).toMatchObject({ status: 200 });
    expect(await post(links)).toMatchObject({ status: 400 });
  });

  test("a type Partoo does not document is refused in a POST, with a field named __proto__ too", async () => {
    fleet = await startFleet();
    addBusinesses(fleet, ["shape-01"]);
    const refused = await post([{ gmb_id: "SOLOPRENEUR_APPOINTMENT", urls: [] }]);
    expect(refused.status).toBe(400);
    const odd = await post(JSON.parse('[{"gmb_id": "SHOP_ONLINE", "urls": [], "__proto__": 1}]'));
    expect(odd).toMatchObject({
      status: 400,
      body: { error: { json: { 0: { __proto__: ["Unknown field."] } } } },
    });
    expect(({} as Record<string, unknown>)["_messages"]).toBeUndefined();
  });
});
