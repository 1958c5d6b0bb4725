/**
 * `partoo-links plan` end to end: real store files and state document in a temporary
 * directory, and the Partoo emulator on loopback for --live.
 */
import { createHash } from "node:crypto";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { runCli } from "../helpers/cli.js";
import {
  seed,
  seedBusiness,
  startTestEmulator,
  TEST_API_KEY,
  type TestEmulator,
} from "../helpers/emulator.js";
import { schemaPath } from "../../src/package-info.js";
import { recordAfterApply } from "../../src/core/record.js";
import { hashDesiredStore } from "../../src/core/hash.js";
import type { DesiredStore, StateDocument, StoreRecord } from "../../src/core/model.js";
import { serializeStateDocument } from "../../src/state/document.js";

const A = "https://shop.example.com/paris-01";
const B = "https://shop.example.com/paris-01/gifts";
const C = "https://order.example.com/paris-01/takeout";
const D = "https://shop.example.com/paris-01/new";
const L = "https://shop.example.com/lyon-02";
const X = "https://partner.example.com/lyon-02";
const N = "https://shop.example.com/nice-03";

const PARIS_BEFORE = `code: paris-01
links:
  SHOP_ONLINE:
    - url: ${A}
      preferred: true
    - ${B}
  FOOD_TAKEOUT:
    - ${C}
`;
const PARIS_AFTER = `code: paris-01
links:
  SHOP_ONLINE:
    - url: ${A}
      preferred: true
    - ${B}
    - ${D}
`;
const LYON = `code: lyon-02
links:
  SHOP_ONLINE:
    - url: ${L}
      preferred: true
`;
const NICE = `code: nice-03
links:
  SHOP_ONLINE:
    - ${N}
`;

const validatePlan = new Ajv2020({ strict: true }).compile(
  JSON.parse(await readFile(schemaPath("plan.schema.json"), "utf8")),
);

let dir: string;
let emu: TestEmulator | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "partoo-plan-"));
  await mkdir(path.join(dir, "stores"));
});
afterEach(async () => {
  await emu?.close();
  emu = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function writeStore(code: string, text: string): Promise<string> {
  await writeFile(path.join(dir, "stores", `${code}.yaml`), text);
  return createHash("sha256").update(text).digest("hex");
}

async function writeState(stores: Record<string, StoreRecord>): Promise<void> {
  await mkdir(path.join(dir, ".partoo"), { recursive: true });
  const document: StateDocument = { version: 2, stores };
  await writeFile(path.join(dir, ".partoo", "state.json"), serializeStateDocument(document));
}

const paris: DesiredStore = {
  code: "paris-01",
  links: {
    SHOP_ONLINE: [
      { url: A, preferred: true },
      { url: B, preferred: false },
    ],
    FOOD_TAKEOUT: [{ url: C, preferred: false }],
  },
};
const nice: DesiredStore = {
  code: "nice-03",
  links: { SHOP_ONLINE: [{ url: N, preferred: false }] },
};

/** The emulator after paris-01 and nice-03 were applied; lyon-02 has a partner's link only. */
async function startFleet(): Promise<TestEmulator> {
  emu = await startTestEmulator({
    seed: seed(
      seedBusiness("paris-01", {
        SHOP_ONLINE: [
          { id: 1, value: A, is_preferred: true },
          { id: 2, value: B },
        ],
        FOOD_TAKEOUT: [{ id: 3, value: C }],
      }),
      seedBusiness("lyon-02", {
        SHOP_ONLINE: [{ id: 4, value: X, is_preferred: true, is_editable: false }],
      }),
      seedBusiness("nice-03", { SHOP_ONLINE: [{ id: 5, value: N }] }),
    ),
  });
  return emu;
}

/** Store files and state as after a confirmed apply of paris-01 and nice-03, then edited. */
async function appliedFleet(test: TestEmulator): Promise<void> {
  const client = test.client();
  const now = new Date("2024-05-01T10:00:00.000Z");
  const parisHash = await writeStore("paris-01", PARIS_BEFORE);
  const niceHash = await writeStore("nice-03", NICE);
  await writeState({
    "paris-01": recordAfterApply({
      desired: paris,
      live: await client.getLinks("c-paris-01"),
      fileHash: parisHash,
      now,
    }),
    "nice-03": recordAfterApply({
      desired: nice,
      live: await client.getLinks("c-nice-03"),
      fileHash: niceHash,
      now,
    }),
  });
  // The pull request: paris-01 adds a link and stops managing FOOD_TAKEOUT; lyon-02 is new.
  await writeStore("paris-01", PARIS_AFTER);
  await writeStore("lyon-02", LYON);
  test.emulator.clearRequests();
}

describe("plan, offline", () => {
  test("lists the stores to push and their link changes, and sends nothing", async () => {
    const test = await startFleet();
    await appliedFleet(test);
    const result = await runCli(["plan", "--detailed-exitcode"], { cwd: dir, env: test.env });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("Offline plan");
    expect(result.stdout).toContain(`~ paris-01 (c-paris-01): file changed`);
    expect(result.stdout).toContain(`      + ${D}\n`);
    expect(result.stdout).toContain(`    FOOD_TAKEOUT (gone from the file: cleared)\n      - ${C}`);
    expect(result.stdout).toContain(`~ lyon-02 (c-lyon-02): never applied`);
    expect(result.stdout).toContain(
      "Plan: 2 stores to change: 2 links to create, 0 to update, 1 to delete; 1 unchanged.",
    );
    expect(test.emulator.requests).toEqual([]);
  });

  test("needs no API key and exits 0 without --detailed-exitcode", async () => {
    await writeStore("lyon-02", LYON);
    const result = await runCli(["plan"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Plan: 1 store to change: 1 link to create");
  });

  test("exits 0 with --detailed-exitcode when nothing changed", async () => {
    const niceHash = await writeStore("nice-03", NICE);
    await writeState({
      "nice-03": {
        address: "c-nice-03",
        hash: hashDesiredStore(nice),
        fileHash: niceHash,
        links: { SHOP_ONLINE: [{ id: 5, url: N, preferred: false }] },
        lastAttempt: { status: "ok", at: "2024-05-01T10:00:00.000Z" },
      },
    });
    const result = await runCli(["plan", "--detailed-exitcode"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Plan: no changes; 1 unchanged.");
  });

  test("does not parse again a file whose bytes did not change since the last apply", async () => {
    const niceHash = await writeStore("nice-03", NICE);
    // A recorded hash that the file does not hash to: were the file parsed, it would differ.
    await writeState({
      "nice-03": {
        address: "c-nice-03",
        hash: "0".repeat(64),
        fileHash: niceHash,
        links: { SHOP_ONLINE: [{ id: 5, url: N, preferred: false }] },
        lastAttempt: { status: "ok", at: "2024-05-01T10:00:00.000Z" },
      },
    });
    const skipped = await runCli(["plan", "--detailed-exitcode"], { cwd: dir });
    expect(skipped.code).toBe(0);
    // --only always reconciles: the file is parsed, and the store is pushed.
    const parsed = await runCli(["plan", "--only", "nice-03", "--detailed-exitcode"], { cwd: dir });
    expect(parsed.code).toBe(2);
  });

  test("loads the links of the stores it plans only: corrupt links elsewhere stop nothing", async () => {
    const niceHash = await writeStore("nice-03", NICE);
    await writeStore("lyon-02", LYON);
    await writeState({
      "nice-03": {
        address: "c-nice-03",
        hash: hashDesiredStore(nice),
        fileHash: niceHash,
        links: { SHOP_ONLINE: [{ id: 5, url: N, preferred: false }] },
        lastAttempt: { status: "ok", at: "2024-05-01T10:00:00.000Z" },
      },
    });
    // nice-03's links made invalid behind a recomputed checksum.
    const file = path.join(dir, ".partoo", "state.json");
    const text = (await readFile(file, "utf8")).replace('{"id":5,', '{"id":"five",');
    const body = text.slice(0, text.lastIndexOf(',\n"checksum"'));
    const sum = createHash("sha256").update(body).digest("hex");
    await writeFile(file, `${body},\n"checksum":"${sum}"}\n`);

    // nice-03 is unchanged: its links are never loaded, lyon-02 is planned.
    const offline = await runCli(["plan", "--detailed-exitcode"], { cwd: dir });
    expect(offline.code).toBe(2);
    expect(offline.stdout).toContain("lyon-02");
    // Planning nice-03 loads its links: a one-line error naming the store.
    const planned = await runCli(["plan", "--only", "nice-03"], { cwd: dir });
    expect(planned.code).toBe(1);
    expect(planned.stderr).toBe(
      'partoo-links: file:.partoo/state.json: the state document is corrupt at /links/nice-03/SHOP_ONLINE/0/id: is "five", expected integer; restore it from a backup, or delete it to start over (the next apply reads every store live and sends only what differs)\n',
    );
  });

  test("writes the JSON plan with --out and prints Markdown or JSON on request", async () => {
    const test = await startFleet();
    await appliedFleet(test);
    const json = await runCli(["plan", "--format", "json", "--out", "out/plan.json"], {
      cwd: dir,
    });
    expect(json.code).toBe(0);
    const printed = JSON.parse(json.stdout);
    expect(validatePlan(printed)).toBe(true);
    expect(JSON.parse(await readFile(path.join(dir, "out", "plan.json"), "utf8"))).toEqual(printed);
    expect(printed.mode).toBe("offline");
    expect(printed.stores.map((store: { code: string }) => store.code)).toEqual([
      "lyon-02",
      "paris-01",
    ]);
    const markdown = await runCli(["plan", "--format", "markdown"], { cwd: dir });
    expect(markdown.stdout).toMatch(/^### Partoo links plan \(offline\)/);
    expect(markdown.stdout).toContain("| ➕ create | `SHOP_ONLINE` |");
  });

  test("--format github prints the plan, then an annotation on each store file", async () => {
    const test = await startFleet();
    await appliedFleet(test);
    await rm(path.join(dir, "stores", "nice-03.yaml"));
    const result = await runCli(["plan", "--prune-removed", "--format", "github"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`~ paris-01 (c-paris-01): file changed`);
    const annotations = result.stdout.split("\n").filter((line) => line.startsWith("::"));
    expect(annotations).toEqual([
      "::notice file=stores/lyon-02.yaml,title=partoo-links plan::lyon-02: never applied: 1 to create",
      "::notice title=partoo-links plan::nice-03: store file deleted, pruned: its managed types are cleared: 1 to delete",
      "::notice file=stores/paris-01.yaml,title=partoo-links plan::paris-01: file changed: 1 to create, 1 to delete",
    ]);
  });

  test("appends the Markdown plan to the job summary when GITHUB_STEP_SUMMARY is set", async () => {
    await writeStore("lyon-02", LYON);
    const summary = path.join(dir, "summary.md");
    await writeFile(summary, "earlier step\n");
    const result = await runCli(["plan"], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(result.code).toBe(0);
    const text = await readFile(summary, "utf8");
    expect(text).toMatch(/^earlier step\n### Partoo links plan \(offline\)\n/);
    expect(text).toContain("| ➕ create | `SHOP_ONLINE` |");
  });

  test("says that a deleted store file makes its store unmanaged, or previews pruning", async () => {
    const test = await startFleet();
    await appliedFleet(test);
    await rm(path.join(dir, "stores", "nice-03.yaml"));
    const plain = await runCli(["plan"], { cwd: dir });
    expect(plain.stdout).toContain("Store files deleted: these stores become unmanaged");
    expect(plain.stdout).toContain("  - nice-03 (c-nice-03): managed SHOP_ONLINE");
    const pruned = await runCli(["plan", "--prune-removed", "--format", "json"], { cwd: dir });
    const plan = JSON.parse(pruned.stdout);
    expect(plan.stores.find((store: { code: string }) => store.code === "nice-03")).toMatchObject({
      reason: "pruned",
      changes: [{ type: "SHOP_ONLINE", op: "delete", url: N }],
    });
  });

  test("fails with the positioned errors of invalid store files", async () => {
    await writeStore("lyon-02", LYON.replace("preferred: true", "preferred: maybe"));
    const result = await runCli(["plan"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^stores\/lyon-02\.yaml:\d+:\d+: /m);
    expect(result.stderr).toMatch(
      /partoo-links: 1 store file is invalid \(errors above\); fix them and run plan again\n$/,
    );
  });

  test("fails on a corrupt state document instead of reading it as empty", async () => {
    await writeStore("lyon-02", LYON);
    await mkdir(path.join(dir, ".partoo"));
    await writeFile(path.join(dir, ".partoo", "state.json"), "{");
    const result = await runCli(["plan"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^partoo-links: file:\.partoo\/state\.json: the state document is not valid JSON/,
    );
  });

  test.each([
    ["an invalid store file", () => writeStore("lyon-02", LYON.replace("true", "maybe"))],
    ["no stores directory", () => rm(path.join(dir, "stores"), { recursive: true })],
  ])("reports a corrupt state first, with %s too", async (_name, alsoBreak) => {
    await writeStore("lyon-02", LYON);
    await mkdir(path.join(dir, ".partoo"));
    await writeFile(path.join(dir, ".partoo", "state.json"), '{"version":1,"stores":[]}');
    await alsoBreak();
    const result = await runCli(["plan"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^partoo-links: file:\.partoo\/state\.json: the state document is corrupt at \/stores: is \[\], expected object; restore it from a backup, or delete it to start over \(the next apply reads every store live and sends only what differs\)\n$/,
    );
  });

  test.each([
    [["--refresh"], "plan --refresh reads live links: add --live"],
    [["--only", "nowhere-01"], "--only nowhere-01: no store file and no state entry"],
    [["--state", "s3:x"], '--state s3:x: unknown state backend "s3"'],
    [["--format", "yaml"], "--format yaml: unknown format"],
  ])("refuses %j with a one-line usage error", async (args, message) => {
    await writeStore("lyon-02", LYON);
    const result = await runCli(["plan", ...args], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.startsWith(`partoo-links: ${message}`)).toBe(true);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("plan --live", () => {
  test("shows the exact operations and the drift, sending nothing but GETs", async () => {
    const test = await startFleet();
    await appliedFleet(test);
    // Someone removes paris-01's gift link in Partoo: drift.
    test.emulator.store.removeLink(2);
    const result = await runCli(["plan", "--live", "--format", "json", "--detailed-exitcode"], {
      cwd: dir,
      env: test.env,
    });
    expect(result.code).toBe(2);
    const plan = JSON.parse(result.stdout);
    expect(validatePlan(plan)).toBe(true);
    expect(plan.mode).toBe("live");
    const changes = Object.fromEntries(
      plan.stores.map(
        (store: {
          code: string;
          changes: { op: string; type: string; url: string; origin: string }[];
        }) => [
          store.code,
          store.changes.map(
            (change) => `${change.op} ${change.type} ${change.url} ${change.origin}`,
          ),
        ],
      ),
    );
    expect(changes).toEqual({
      "lyon-02": [`create SHOP_ONLINE ${L} pending`],
      "paris-01": [
        `delete FOOD_TAKEOUT ${C} pending`,
        `create SHOP_ONLINE ${B} drift`,
        `create SHOP_ONLINE ${D} pending`,
      ],
    });
    const parisStore = plan.stores.find((store: { code: string }) => store.code === "paris-01");
    expect(parisStore.writes).toEqual([
      { type: "FOOD_TAKEOUT", urls: [] },
      {
        type: "SHOP_ONLINE",
        urls: [
          { id: 1, value: A, is_preferred: true },
          { value: B, is_preferred: false },
          { value: D, is_preferred: false },
        ],
      },
    ]);
    const lyonStore = plan.stores.find((store: { code: string }) => store.code === "lyon-02");
    expect(lyonStore.writes).toEqual([
      {
        type: "SHOP_ONLINE",
        urls: [
          { id: 4, value: X, is_preferred: true },
          { value: L, is_preferred: false },
        ],
      },
    ]);
    expect(lyonStore.warnings[0]).toContain("is kept not preferred");
    // Only the stores to push were read, and only with GET.
    expect(test.emulator.requests.map((entry) => `${entry.method} ${entry.path}`).sort()).toEqual([
      "GET /v2/business/c-lyon-02/place_action_links",
      "GET /v2/business/c-paris-01/place_action_links",
    ]);
    expect(result.stdout + result.stderr).not.toContain(TEST_API_KEY);
  });

  test("with --refresh reads every store and shows drift on an unchanged one", async () => {
    const test = await startFleet();
    await appliedFleet(test);
    test.emulator.store.addLink("c-nice-03", "SHOP_ONLINE", { value: `${N}/spam` });
    const result = await runCli(["plan", "--live", "--refresh"], { cwd: dir, env: test.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "~ nice-03 (c-nice-03): drift: live differs from the files; apply --only with this code repairs it",
    );
    expect(result.stdout).toMatch(new RegExp(`- ${N}/spam \\(id \\d+, drift\\)`));
    expect(test.emulator.requests).toHaveLength(3);
    expect(test.emulator.requests.every((entry) => entry.method === "GET")).toBe(true);
  });

  test("exits 0 with --detailed-exitcode when live already matches the files", async () => {
    const test = await startFleet();
    await appliedFleet(test);
    await writeStore("paris-01", PARIS_BEFORE.replace("links:", "# reformatted\nlinks:"));
    await rm(path.join(dir, "stores", "lyon-02.yaml"));
    const offline = await runCli(["plan", "--detailed-exitcode"], { cwd: dir });
    expect(offline.code).toBe(0);
    await writeStore("nice-03", NICE.replace(N, `${N}/moved`));
    test.emulator.store.setLinks("c-nice-03", [
      { gmb_id: "SHOP_ONLINE", urls: [{ value: `${N}/moved` }] },
    ]);
    const live = await runCli(["plan", "--live", "--detailed-exitcode"], {
      cwd: dir,
      env: test.env,
    });
    expect(live.code).toBe(0);
    expect(live.stdout).toContain("Plan: no changes; 2 unchanged.");
  });

  test("needs PARTOO_API_KEY and says so before reading anything", async () => {
    await writeStore("lyon-02", LYON);
    const result = await runCli(["plan", "--live"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^partoo-links: plan --live calls the Partoo API: set PARTOO_API_KEY/,
    );
  });

  test("reports a store it cannot read and exits 1, after showing the others", async () => {
    const test = await startFleet();
    await appliedFleet(test);
    await writeStore("ghost-09", "code: ghost-09\nlinks:\n  SHOP_ONLINE: []\n");
    const result = await runCli(["plan", "--live"], { cwd: dir, env: test.env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "Could not read the live links of:\n  ! ghost-09 (c-ghost-09): ",
    );
    expect(result.stdout).toContain("~ paris-01 (c-paris-01): file changed");
  });
});
