/**
 * `partoo-links apply` end to end: real store files and state document in a temporary
 * directory, the CLI in-process, the Partoo emulator on loopback and its request log.
 */
import {
  addBusinesses,
  codes,
  liveIds,
  liveMismatches,
  startFleet,
  url,
  type Fleet,
} from "./apply-fleet.js";
import { TEST_API_KEY } from "../helpers/emulator.js";

let fleet: Fleet;

afterEach(async () => {
  await fleet?.close();
});

/** A fleet of `count` stores, each with one preferred SHOP_ONLINE link, applied once. */
async function appliedFleet(count: number): Promise<string[]> {
  fleet = await startFleet();
  const names = codes(count);
  addBusinesses(fleet, names);
  for (const code of names) {
    await fleet.writeStore(code, { SHOP_ONLINE: [{ url: url(code), preferred: true }] });
  }
  const first = await fleet.run(["apply"]);
  expect(first.code).toBe(0);
  expect(first.stdout).toContain(`Apply: ${count} applied, 0 unchanged, 0 failed`);
  expect(fleet.postedCodes().sort()).toEqual(names);
  fleet.emu.emulator.clearRequests();
  return names;
}

describe("apply, incrementally", () => {
  test("applies every store once, records it, and makes no request at all the next time", async () => {
    const names = await appliedFleet(5);
    expect(liveMismatches(fleet)).toEqual([]);
    const state = await fleet.state();
    expect(Object.keys(state.stores).sort()).toEqual(names);
    for (const code of names) {
      const record = state.stores[code]!;
      expect(record.lastAttempt?.status).toBe("ok");
      expect(record.links?.["SHOP_ONLINE"]).toEqual([
        { id: liveIds(fleet, code)[`SHOP_ONLINE ${url(code)}`], url: url(code), preferred: true },
      ]);
    }
    const again = await fleet.run(["apply"]);
    expect(again.code).toBe(0);
    expect(fleet.requests()).toEqual([]);
    expect(again.stdout).toContain("Apply: 0 applied, 0 unchanged, 0 failed");
  });

  test("changing 3 of 30 store files sends exactly 3 POSTs and at most 9 requests", async () => {
    const names = await appliedFleet(30);
    const changed = [names[3]!, names[17]!, names[29]!];
    for (const code of changed) {
      await fleet.writeStore(code, {
        SHOP_ONLINE: [{ url: url(code), preferred: true }, url(code, "/gifts")],
      });
    }
    const result = await fleet.run(["apply"]);
    expect(result.code).toBe(0);
    expect(fleet.postedCodes().sort()).toEqual(changed.sort());
    expect(fleet.requests().length).toBeLessThanOrEqual(9);
    expect(result.stdout).toContain("Apply: 3 applied, 0 unchanged, 0 failed");
    expect(liveMismatches(fleet)).toEqual([]);
  });

  test("a deleted store file sends nothing, drops its state entry, and the report says so", async () => {
    const names = await appliedFleet(3);
    const gone = names[1]!;
    const before = fleet.live(gone);
    await fleet.removeStore(gone);
    const result = await fleet.run(["apply"]);
    expect(result.code).toBe(0);
    expect(fleet.requests()).toEqual([]);
    expect(fleet.live(gone)).toEqual(before);
    expect(Object.keys((await fleet.state()).stores).sort()).toEqual([names[0], names[2]]);
    expect(result.stdout).toContain(`- ${gone}: store file removed; no longer managed`);
    expect(result.stdout).toContain("1 no longer managed");
    // Its entry is gone: a later run does not mention it any more.
    const later = await fleet.run(["apply"]);
    expect(later.stdout).not.toContain(gone);
  });

  test("--prune-removed clears the managed types of a deleted store and drops its entry", async () => {
    fleet = await startFleet();
    addBusinesses(fleet, ["nice-03"], () => ({
      FOOD_TAKEOUT: [{ id: 90, value: "https://partner.example.com/nice", is_editable: false }],
      FOOD_ORDERING: [{ value: "https://order.example.com/nice" }],
    }));
    await fleet.writeStore("nice-03", {
      SHOP_ONLINE: [url("nice-03"), url("nice-03", "/b")],
      FOOD_TAKEOUT: [url("nice-03", "/takeout")],
    });
    expect((await fleet.run(["apply"])).code).toBe(0);
    fleet.emu.emulator.clearRequests();
    await fleet.removeStore("nice-03");
    const result = await fleet.run(["apply", "--prune-removed"]);
    expect(result.code).toBe(0);
    expect(fleet.requests("POST")).toHaveLength(1);
    expect(fleet.requests("POST")[0]!.body).toEqual([
      {
        gmb_id: "FOOD_TAKEOUT",
        urls: [{ id: 90, value: "https://partner.example.com/nice", is_preferred: false }],
      },
      { gmb_id: "SHOP_ONLINE", urls: [] },
    ]);
    // Managed types cleared, the partner's link and the unmanaged type left as they were.
    expect(fleet.live("nice-03")).toEqual([
      {
        gmb_id: "FOOD_TAKEOUT",
        urls: [expect.objectContaining({ value: "https://partner.example.com/nice" })],
      },
      {
        gmb_id: "FOOD_ORDERING",
        urls: [expect.objectContaining({ value: "https://order.example.com/nice" })],
      },
    ]);
    expect((await fleet.state()).stores).toEqual({});
  });

  test("kept links keep their ids when preferred changes and a link is added", async () => {
    fleet = await startFleet();
    const code = "paris-01";
    addBusinesses(fleet, [code]);
    const [a, b, c] = [url(code, "/a"), url(code, "/b"), url(code, "/c")];
    await fleet.writeStore(code, { SHOP_ONLINE: [{ url: a, preferred: true }, b] });
    expect((await fleet.run(["apply"])).code).toBe(0);
    const before = liveIds(fleet, code);
    await fleet.writeStore(code, { SHOP_ONLINE: [a, { url: b, preferred: true }, c] });
    const result = await fleet.run(["apply"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`✓ ${code}: applied (1 created, 2 updated)`);
    const after = liveIds(fleet, code);
    expect(after[`SHOP_ONLINE ${a}`]).toBe(before[`SHOP_ONLINE ${a}`]);
    expect(after[`SHOP_ONLINE ${b}`]).toBe(before[`SHOP_ONLINE ${b}`]);
    expect(after[`SHOP_ONLINE ${c}`]).toEqual(expect.any(Number));
    expect(Object.keys(after)).toHaveLength(3);
    expect(liveMismatches(fleet)).toEqual([]);
    const recorded = (await fleet.state()).stores[code]!.links!["SHOP_ONLINE"]!;
    expect(recorded.map((link) => link.id)).toEqual([
      after[`SHOP_ONLINE ${a}`],
      after[`SHOP_ONLINE ${b}`],
      after[`SHOP_ONLINE ${c}`],
    ]);
  });
});

describe("apply and business ids", () => {
  test("addresses a store by its business_id, records it, and needs nothing the next time", async () => {
    fleet = await startFleet();
    addBusinesses(fleet, ["rennes-01"]);
    await fleet.writeStore(
      "rennes-01",
      { SHOP_ONLINE: [url("rennes-01")] },
      "business_id: id-rennes-01",
    );
    const result = await fleet.run(["apply"]);
    expect(result.code).toBe(0);
    expect(new Set(fleet.requests().map((entry) => entry.path))).toEqual(
      new Set(["/v2/business/id-rennes-01/place_action_links"]),
    );
    expect((await fleet.state()).stores["rennes-01"]!.address).toBe("id-rennes-01");
    expect(liveMismatches(fleet)).toEqual([]);
    fleet.emu.emulator.clearRequests();
    expect((await fleet.run(["apply"])).code).toBe(0);
    expect(fleet.requests()).toEqual([]);
  });
});

describe("apply and links owned by others", () => {
  const partner = "https://partner.example.com/lyon-02";
  const other = "https://booking.example.com/lyon-02";

  async function lyonFleet(): Promise<{ partnerId: number; otherId: number }> {
    fleet = await startFleet();
    addBusinesses(fleet, ["lyon-02"], () => ({
      SHOP_ONLINE: [{ id: 40, value: partner, is_preferred: true, is_editable: false }],
      DINING_RESERVATION: [{ id: 41, value: other, is_preferred: true }],
    }));
    return { partnerId: 40, otherId: 41 };
  }

  test("re-sends non-editable links unchanged with their id and never changes or deletes them", async () => {
    const { partnerId } = await lyonFleet();
    const mine = url("lyon-02");
    await fleet.writeStore("lyon-02", { SHOP_ONLINE: [{ url: mine, preferred: true }] });
    const first = await fleet.run(["apply"]);
    expect(first.code).toBe(0);
    // The file's preferred link cannot win over the partner's: a warning, not a failure.
    expect(first.stdout).toContain("is kept not preferred");
    const [post] = fleet.requests("POST");
    expect(post!.body).toEqual([
      {
        gmb_id: "SHOP_ONLINE",
        urls: [
          { id: partnerId, value: partner, is_preferred: true },
          { value: mine, is_preferred: false },
        ],
      },
    ]);
    // Emptying the type keeps the partner's link too.
    fleet.emu.emulator.clearRequests();
    await fleet.writeStore("lyon-02", { SHOP_ONLINE: [] });
    const second = await fleet.run(["apply"]);
    expect(second.code).toBe(0);
    expect(fleet.requests("POST")[0]!.body).toEqual([
      { gmb_id: "SHOP_ONLINE", urls: [{ id: partnerId, value: partner, is_preferred: true }] },
    ]);
    expect(fleet.live("lyon-02").find((type) => type.gmb_id === "SHOP_ONLINE")!.urls).toEqual([
      { id: partnerId, value: partner, is_preferred: true, is_editable: false },
    ]);
  });

  test("never touches a type the file does not list", async () => {
    const { otherId } = await lyonFleet();
    await fleet.writeStore("lyon-02", { FOOD_ORDERING: [url("lyon-02", "/order")] });
    expect((await fleet.run(["apply"])).code).toBe(0);
    for (const post of fleet.requests("POST")) {
      const types = (post.body as { gmb_id: string }[]).map((entry) => entry.gmb_id);
      expect(types).toEqual(["FOOD_ORDERING"]);
    }
    expect(fleet.live("lyon-02").find((type) => type.gmb_id === "DINING_RESERVATION")).toEqual({
      gmb_id: "DINING_RESERVATION",
      urls: [{ id: otherId, value: other, is_preferred: true, is_editable: true }],
    });
  });
});

describe("apply --only and --repair", () => {
  test("--only reconciles a store whose file did not change and repairs a manual change", async () => {
    const names = await appliedFleet(3);
    const target = names[0]!;
    const id = liveIds(fleet, target)[`SHOP_ONLINE ${url(target)}`]!;
    fleet.emu.emulator.store.removeLink(id);
    fleet.emu.emulator.store.addLink(`c-${target}`, "SHOP_ONLINE", { value: url(target, "/spam") });
    // A plain apply decides from the state alone: nothing changed in the files.
    await fleet.run(["apply"]);
    expect(fleet.requests()).toEqual([]);
    const result = await fleet.run(["apply", "--only", target]);
    expect(result.code).toBe(0);
    // The link added by hand is changed back in place to the file's URL.
    expect(result.stdout).toContain(`✓ ${target}: applied (1 updated)`);
    expect(fleet.postedCodes()).toEqual([target]);
    expect(fleet.requests().every((entry) => entry.path.includes(`c-${target}/`))).toBe(true);
    expect(liveMismatches(fleet)).toEqual([]);
  });

  test("--only on a store that already matches live sends no POST", async () => {
    const names = await appliedFleet(2);
    const result = await fleet.run(["apply", "--only", names[1]!]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`= ${names[1]}: unchanged (live already matched)`);
    expect(fleet.requests().map((entry) => entry.method)).toEqual(["GET"]);
  });
});

describe("apply caps", () => {
  test("--max-stores: past the cap nothing is sent, exit 1, and the message names the flag", async () => {
    fleet = await startFleet();
    addBusinesses(fleet, codes(3));
    for (const code of codes(3)) await fleet.writeStore(code, { SHOP_ONLINE: [url(code)] });
    const result = await fleet.run(["apply", "--max-stores", "2"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^partoo-links: 3 stores to push, more than --max-stores 2;/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(fleet.requests()).toEqual([]);
    expect(await fleet.stateText()).toBe("");
    expect((await fleet.run(["apply", "--max-stores", "3"])).code).toBe(0);
  });

  test("--max-deleted-links: deletions the files show are counted before any request", async () => {
    fleet = await startFleet();
    addBusinesses(fleet, ["a-1", "b-1"]);
    await fleet.writeStore("a-1", {
      SHOP_ONLINE: [url("a-1"), url("a-1", "/2"), url("a-1", "/3")],
    });
    await fleet.writeStore("b-1", { SHOP_ONLINE: [url("b-1"), url("b-1", "/2")] });
    expect((await fleet.run(["apply"])).code).toBe(0);
    fleet.emu.emulator.clearRequests();
    await fleet.writeStore("a-1", { SHOP_ONLINE: [url("a-1")] });
    await fleet.writeStore("b-1", { SHOP_ONLINE: [url("b-1")] });
    const refused = await fleet.run(["apply", "--max-deleted-links", "2"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^partoo-links: the store files delete 3 links, more than --max-deleted-links 2; nothing was sent/,
    );
    expect(fleet.requests()).toEqual([]);
    const allowed = await fleet.run(["apply", "--max-deleted-links", "3"]);
    expect(allowed.code).toBe(0);
    expect(fleet.postedCodes().sort()).toEqual(["a-1", "b-1"]);
  });

  test("deletions only live reveals stop the run before the store that would pass the cap", async () => {
    fleet = await startFleet();
    const names = codes(3);
    // Never applied, each with two links the files do not want: one becomes the file's
    // link (an update in place), the other is deleted.
    addBusinesses(fleet, names, (code) => ({
      SHOP_ONLINE: [{ value: url(code, "/old-1") }, { value: url(code, "/old-2") }],
    }));
    for (const code of names) await fleet.writeStore(code, { SHOP_ONLINE: [url(code)] });
    const result = await fleet.run(["apply", "--max-deleted-links", "1", "--concurrency", "1"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `✗ ${names[1]}: refused: live reads show 1 links to delete, which would take this run past --max-deleted-links 1`,
    );
    expect(result.stdout).toContain(`… 1 store not started: ${names[2]}`);
    expect(fleet.postedCodes()).toEqual([names[0]]);
    expect(fleet.requests().some((entry) => entry.path.includes(names[2]!))).toBe(false);
    const state = await fleet.state();
    expect(Object.keys(state.stores)).toEqual([names[0]]);
    // Raising the cap goes on with the others.
    const next = await fleet.run(["apply", "--max-deleted-links", "2"]);
    expect(next.code).toBe(0);
    expect(liveMismatches(fleet)).toEqual([]);
  });
});

describe("apply --deadline and failures", () => {
  test("--deadline 0 starts no store, exits 3, and the next run resumes", async () => {
    fleet = await startFleet();
    addBusinesses(fleet, codes(3));
    for (const code of codes(3)) await fleet.writeStore(code, { SHOP_ONLINE: [url(code)] });
    const stopped = await fleet.run(["apply", "--deadline", "0"]);
    expect(stopped.code).toBe(3);
    expect(stopped.stdout).toContain("stopped by --deadline; run apply again");
    expect(stopped.stdout).toContain("3 not started");
    expect(fleet.requests()).toEqual([]);
    const resumed = await fleet.run(["apply"]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain("Apply: 3 applied");
    expect(liveMismatches(fleet)).toEqual([]);
  });

  test("a tiny --deadline records the stores done; the next run does only the rest", async () => {
    fleet = await startFleet({ faults: { latencyMs: 40 } });
    const names = codes(15);
    addBusinesses(fleet, names);
    for (const code of names) await fleet.writeStore(code, { SHOP_ONLINE: [url(code)] });
    // 0.01 min = 600 ms: a few stores at 3 requests of 40 ms each, one store at a time.
    const stopped = await fleet.run(["apply", "--deadline", "0.01", "--concurrency", "1"]);
    expect(stopped.code).toBe(3);
    const done = Object.keys((await fleet.state()).stores);
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(names.length);
    fleet.emu.emulator.clearRequests();
    const resumed = await fleet.run(["apply"]);
    expect(resumed.code).toBe(0);
    expect(fleet.postedCodes().sort()).toEqual(names.filter((code) => !done.includes(code)));
    expect(liveMismatches(fleet)).toEqual([]);
  });

  test("a failed store does not stop the others; the state records it and the next run retries it", async () => {
    const types = ["SHOP_ONLINE", "FOOD_TAKEOUT", "FOOD_ORDERING"];
    fleet = await startFleet({ types });
    addBusinesses(fleet, ["ok-1", "bad-type", "ok-2"]);
    await fleet.writeStore("ok-1", { SHOP_ONLINE: [url("ok-1")] });
    // The emulated Partoo refuses this type (400), and has no business "ghost" (404).
    await fleet.writeStore("bad-type", { DINING_RESERVATION: [url("bad-type")] });
    await fleet.writeStore("ghost", { SHOP_ONLINE: [url("ghost")] });
    await fleet.writeStore("ok-2", { SHOP_ONLINE: [url("ok-2")] });
    const result = await fleet.run(["apply"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Apply: 2 applied, 0 unchanged, 2 failed");
    expect(result.stdout).toMatch(/✗ bad-type: failed: .*400.*DINING_RESERVATION/);
    expect(result.stdout).toMatch(/✗ ghost: failed: .*404/);
    const state = await fleet.state();
    expect(state.stores["bad-type"]).toMatchObject({
      address: "c-bad-type",
      lastAttempt: { status: "failed", errorClass: "http-400" },
    });
    expect(state.stores["bad-type"]!.hash).toBeUndefined();
    expect(state.stores["ghost"]!.lastAttempt).toMatchObject({
      status: "failed",
      errorClass: "http-404",
    });
    expect(state.stores["ok-1"]!.lastAttempt?.status).toBe("ok");

    // Fixed on Partoo's side: the next run retries only the failed stores.
    fleet.emu.emulator.clearRequests();
    addBusinesses(fleet, ["ghost"]);
    await fleet.writeStore("bad-type", { FOOD_TAKEOUT: [url("bad-type")] });
    const retry = await fleet.run(["apply"]);
    expect(retry.code).toBe(0);
    expect(fleet.postedCodes().sort()).toEqual(["bad-type", "ghost"]);
    const after = await fleet.state();
    expect(after.stores["ghost"]!.lastAttempt?.status).toBe("ok");
    expect(liveMismatches(fleet)).toEqual([]);
  });

  test("a store whose last apply failed is retried even when its file did not change", async () => {
    fleet = await startFleet();
    await fleet.writeStore("late-1", { SHOP_ONLINE: [url("late-1")] });
    expect((await fleet.run(["apply"])).code).toBe(1);
    addBusinesses(fleet, ["late-1"]);
    fleet.emu.emulator.clearRequests();
    const retry = await fleet.run(["apply"]);
    expect(retry.code).toBe(0);
    expect(fleet.postedCodes()).toEqual(["late-1"]);
  });
});

describe("apply stopped from outside", () => {
  test("an interrupted apply finishes and records the stores it wrote, starts no other, and exits 1", async () => {
    const controller = new AbortController();
    fleet = await startFleet({
      faults: { latencyMs: 30 },
      // The signal comes as the first write is answered: its store is still in flight.
      onRequest: (entry) => {
        if (entry.method === "POST") controller.abort(new Error("SIGINT"));
      },
    });
    const names = codes(10);
    addBusinesses(fleet, names);
    for (const code of names) await fleet.writeStore(code, { SHOP_ONLINE: [url(code)] });
    const result = await fleet.run(["apply", "--concurrency", "2"], { signal: controller.signal });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("interrupted; run apply again to go on where it stopped");
    const written = new Set(fleet.postedCodes());
    const state = await fleet.state();
    expect(written.size).toBeGreaterThan(0);
    for (const code of written) expect(state.stores[code]?.lastAttempt?.status).toBe("ok");
    for (const code of written) expect(result.stdout).toContain(`✓ ${code}: applied`);
    const touched = new Set(fleet.requests().map((entry) => entry.path));
    expect(touched.size).toBeLessThanOrEqual(2);

    fleet.emu.emulator.clearRequests();
    const resumed = await fleet.run(["apply"]);
    expect(resumed.code).toBe(0);
    expect(fleet.postedCodes().filter((code) => written.has(code))).toEqual([]);
    expect(liveMismatches(fleet)).toEqual([]);
  });

  test("a key Partoo refuses stops the run at the first store, without showing the key", async () => {
    fleet = await startFleet();
    addBusinesses(fleet, codes(4));
    for (const code of codes(4)) await fleet.writeStore(code, { SHOP_ONLINE: [url(code)] });
    const wrongKey = "pk-wrong-0123456789abcdef";
    const result = await fleet.run(["apply", "--concurrency", "1"], {
      env: { PARTOO_API_KEY: wrongKey },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "stopped: Partoo rejected the API key (401); check PARTOO_API_KEY",
    );
    expect(result.stdout).toContain("3 not started");
    expect(fleet.requests()).toHaveLength(1);
    expect(result.stdout + result.stderr + (await fleet.stateText())).not.toContain(wrongKey);
  });
});

describe("apply output", () => {
  test("never shows the API key, in any format, nor writes it to the state", async () => {
    fleet = await startFleet();
    addBusinesses(fleet, ["k-1"]);
    await fleet.writeStore("k-1", { SHOP_ONLINE: [url("k-1")] });
    await fleet.writeStore("k-missing", { SHOP_ONLINE: [url("k-missing")] });
    for (const format of ["text", "json", "markdown", "github"]) {
      const result = await fleet.run(["apply", "--only", "k-1,k-missing", "--format", format]);
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).not.toContain(TEST_API_KEY);
    }
    const state = await fleet.stateText();
    expect(state).toContain("k-missing");
    expect(state).not.toContain(TEST_API_KEY);
  });

  test("--format json reports each store's outcome and the exit code", async () => {
    fleet = await startFleet();
    addBusinesses(fleet, ["j-1"]);
    await fleet.writeStore("j-1", { SHOP_ONLINE: [url("j-1")] });
    const result = await fleet.run(["apply", "--format", "json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      outcomes: [{ code: "j-1", status: "applied", created: 1, writes: 1 }],
      unmanaged: [],
      requests: 3,
      rateLimited: 0,
      exitCode: 0,
      totals: { applied: 1, unchanged: 0, failed: 0, refused: 0, notStarted: 0 },
    });
  });
});
