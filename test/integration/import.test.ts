import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, readdir, writeFile, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../helpers/cli.js";
import {
  seed,
  seedBusiness,
  startTestEmulator,
  TEST_API_KEY,
  type TestEmulator,
} from "../helpers/emulator.js";
import type { SeedBusiness } from "../../src/emulator/seed.js";
import { parse } from "yaml";

const FAST = ["--rate-limit", "600000"];

/** A fleet as someone built it by hand in Partoo, before partoo-links. */
function handMadeFleet() {
  return seed(
    seedBusiness("paris-01", {
      SHOP_ONLINE: [
        { value: "https://shop.example.com/paris-01", is_preferred: true },
        "https://shop.example.com/paris-01/gifts",
      ],
      FOOD_TAKEOUT: [{ value: "https://partner.example.net/paris-01", is_editable: false }],
    }),
    seedBusiness(
      "lyon-01",
      { APPOINTMENT: ["https://book.example.com/lyon-01"] },
      { status: "closed" },
    ),
    seedBusiness("nice-01", {}, { status: "temporarily_closed" }),
    seedBusiness("", {}, { id: "no-code-1", code: null, name: "Pop-up" }),
    seedBusiness("dup", {}, { id: "dup-a" }),
    seedBusiness("dup", {}, { id: "dup-b" }),
    seedBusiness("bad/code", {}, { id: "bad-1" }),
  );
}

describe("partoo-links import", () => {
  let emu: TestEmulator;
  let dir: string;
  const run = (...argv: string[]) =>
    runCli([...argv, "--state", "file:state.json"], { env: emu.env, cwd: dir });

  beforeEach(async () => {
    emu = await startTestEmulator({ seed: handMadeFleet() });
    dir = await mkdtemp(path.join(tmpdir(), "partoo-import-"));
  });
  afterEach(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Replaces the emulator's fleet for one test. */
  async function reseed(...businesses: SeedBusiness[]) {
    await emu.close();
    emu = await startTestEmulator({ seed: seed(...businesses) });
  }

  test("import --all then plan --live --detailed-exitcode exits 0: nothing to do", async () => {
    const imported = await run("import", "--all");
    expect(imported.stdout).toContain("+ stores/paris-01.yaml: 2 links");
    expect(imported.stdout).toContain("+ stores/lyon-01.yaml: 1 link\n");
    expect(imported.stdout).toContain("+ stores/nice-01.yaml: 0 links");
    expect(imported.stdout).toMatch(/dup: 2 businesses have this code \(dup-a, dup-b\)/);
    expect(imported.stdout).toMatch(/business no-code-1 \(Pop-up\): has no store code/);
    expect(imported.stdout).toMatch(/bad\/code: .*cannot be a file name/);
    expect(imported.code).toBe(1); // the ambiguous and unrepresentable codes are errors

    const validate = await runCli(["validate"], { cwd: dir });
    expect(validate.code).toBe(0);
    const plan = await run("plan", "--live", "--refresh", "--detailed-exitcode");
    expect(plan.stdout).toContain("no changes");
    expect(plan.code).toBe(0);
    const apply = await run("apply", ...FAST);
    expect(apply.code).toBe(0);
    expect(emu.emulator.requests.filter((r) => r.method === "POST")).toHaveLength(0);
  });

  test("--format json lists what was written and what was skipped; markdown and github too", async () => {
    const json = await run("import", "--code", "paris-01,nowhere-9", "--format", "json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      imported: [{ code: "paris-01", file: "stores/paris-01.yaml", links: 2 }],
      skipped: [
        { what: "nowhere-9", reason: "no business has this code (any status)", error: true },
      ],
    });
    const markdown = await run("import", "--code", "lyon-01", "--format", "markdown");
    expect(markdown.stdout).toBe(
      "### partoo-links import\n\n**Import\\: 1 store written to stores, 0 skipped, 0 errors**\n\n| store | result |\n|---|---|\n| `lyon-01` | ➕ stores/lyon-01.yaml\\: 1 link |\n",
    );
    const github = await run("import", "--code", "nowhere-9", "--format", "github");
    expect(github.stdout).toContain(
      "::error title=partoo-links import::nowhere-9: no business has this code (any status)\n",
    );
  });

  test("the file keeps editable links only, with the shorthand for links not preferred", async () => {
    // A repository with its schemas/ (as init writes it): the file names them beside stores/.
    await mkdir(path.join(dir, "schemas"));
    await writeFile(path.join(dir, "schemas", "store.schema.json"), "{}");
    await run("import", "--code", "paris-01");
    const text = await readFile(path.join(dir, "stores", "paris-01.yaml"), "utf8");
    expect(text.split("\n")[0]).toBe(
      "# yaml-language-server: $schema=../schemas/store.schema.json",
    );
    expect(text).toContain(
      [
        "links:",
        "  SHOP_ONLINE:",
        "    - url: https://shop.example.com/paris-01",
        "      preferred: true",
        "    - https://shop.example.com/paris-01/gifts",
      ].join("\n"),
    );
    // The partner's non-editable link stays unmanaged.
    expect(text).not.toContain("FOOD_TAKEOUT");
  });

  test("existing files are kept unless --force", async () => {
    await mkdir(path.join(dir, "stores"));
    await writeFile(path.join(dir, "stores", "paris-01.yaml"), "code: paris-01\nlinks: {}\n");
    const kept = await run("import", "--code", "paris-01");
    expect(kept.stdout).toContain(
      "stores/paris-01.yaml already exists; kept (use --force to overwrite)",
    );
    expect(await readFile(path.join(dir, "stores", "paris-01.yaml"), "utf8")).toBe(
      "code: paris-01\nlinks: {}\n",
    );
    const forced = await run("import", "--code", "paris-01", "--force");
    expect(forced.code).toBe(0);
    expect(await readFile(path.join(dir, "stores", "paris-01.yaml"), "utf8")).toContain("gifts");
  });

  test("an unknown code is an error and writes nothing", async () => {
    const result = await run("import", "--code", "nope-01");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("nope-01: no business has this code");
    await expect(readdir(path.join(dir, "stores"))).resolves.toEqual([]);
  });

  test("--by-id imports businesses without a code, addressed by id", async () => {
    const result = await run("import", "--all", "--by-id");
    expect(result.stdout).toContain("+ stores/no-code-1.yaml: 0 links");
    const text = await readFile(path.join(dir, "stores", "dup-a.yaml"), "utf8");
    expect(text).toContain("business_id: dup-a");
    expect((await runCli(["validate"], { cwd: dir })).code).toBe(0);
  });

  test("needs --code or --all, and the key never shows", async () => {
    const result = await run("import");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/give either --code CODE\[,CODE…\] or --all/);
    const all = await run("import", "--all");
    expect(all.stdout + all.stderr).not.toContain(TEST_API_KEY);
    expect(await readFile(path.join(dir, "state.json"), "utf8")).not.toContain(TEST_API_KEY);
  });

  test("import --all brings in the stores of every status, from a search that reads status as documented", async () => {
    await reseed(
      seedBusiness("s-open"),
      seedBusiness("s-closed", {}, { status: "closed" }),
      seedBusiness("s-soon", {}, { status: "opening_soon" }),
      seedBusiness("s-paused", {}, { status: "temporarily_closed" }),
    );
    const result = await run("import", "--all");
    expect(result.code).toBe(0);
    expect((await readdir(path.join(dir, "stores"))).sort()).toEqual([
      "s-closed.yaml",
      "s-open.yaml",
      "s-paused.yaml",
      "s-soon.yaml",
    ]);
    const searches = emu.emulator.requests.filter((r) => r.path.endsWith("/business/search"));
    // One status parameter: the emulator reads a repeated one by its first value only.
    for (const search of searches) {
      expect(new URLSearchParams(search.query).getAll("status")).toEqual([
        "open,closed,opening_soon,temporarily_closed",
      ]);
    }
  });

  test("import --all fails and writes nothing when the search's pages list fewer businesses than its count", async () => {
    const server: Server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          page: 1,
          max_page: 1,
          count: 3,
          businesses: [{ id: "b1", code: "a-01", name: "A", status: "open" }],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const result = await runCli(["import", "--all", "--state", "file:state.json"], {
        env: { PARTOO_API_KEY: TEST_API_KEY, PARTOO_API_URL: `http://127.0.0.1:${port}/v2` },
        cwd: dir,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /the search counts 3 businesses but its 1 page lists only 1; the inventory is incomplete/,
      );
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      // The stores directory is made before any request; no file is written in it.
      expect(await readdir(path.join(dir, "stores")).catch(() => [])).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("types the schema does not know stay out of the file, with a note, and stay unmanaged", async () => {
    await reseed(
      seedBusiness("solo-01", {
        SOLOPRENEUR_APPOINTMENT: ["https://solo.example.com/solo-01"],
        SHOP_ONLINE: ["https://shop.example.com/solo-01"],
      }),
    );
    const result = await run("import", "--code", "solo-01");
    expect(result.code).toBe(0);
    const text = await readFile(path.join(dir, "stores", "solo-01.yaml"), "utf8");
    expect(parse(text)).toEqual({
      code: "solo-01",
      links: { SHOP_ONLINE: ["https://shop.example.com/solo-01"] },
    });
    expect(text).toContain(
      "# Partoo also has SOLOPRENEUR_APPOINTMENT, which partoo-links does not know: left out, kept as they are.",
    );
    expect((await run("plan", "--live", "--refresh", "--detailed-exitcode")).code).toBe(0);

    // A manual change in Partoo: drift and a live plan show the store, the unknown type unmanaged.
    emu.emulator.store.addLink("c-solo-01", "SHOP_ONLINE", {
      value: "https://shop.example.com/solo-01/extra",
    });
    const drift = await run("drift");
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain("unmanaged, left as they are: SOLOPRENEUR_APPOINTMENT");
    const plan = await run("plan", "--live", "--refresh");
    expect(plan.stdout).toContain("unmanaged, left as they are: SOLOPRENEUR_APPOINTMENT");
    // Applying the repair sends SHOP_ONLINE only; the unknown type is never dropped.
    expect((await run("apply", "--only", "solo-01", ...FAST)).code).toBe(0);
    const posts = emu.emulator.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => r.body)).toEqual([
      [
        {
          gmb_id: "SHOP_ONLINE",
          urls: [expect.objectContaining({ value: "https://shop.example.com/solo-01" })],
        },
      ],
    ]);
    expect(emu.emulator.store.links("c-solo-01")).toContainEqual(
      expect.objectContaining({ gmb_id: "SOLOPRENEUR_APPOINTMENT" }),
    );
  });

  test.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "a live type named %s neither crashes import nor reaches the file",
    async (type) => {
      await reseed(
        seedBusiness(
          "odd-01",
          {},
          {
            place_action_links: [
              { gmb_id: type, urls: [{ value: "https://odd.example.com/odd-01" }] },
              { gmb_id: "FOOD_ORDERING", urls: [{ value: "https://order.example.com/odd-01" }] },
            ],
          },
        ),
      );
      const result = await run("import", "--all");
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const text = await readFile(path.join(dir, "stores", "odd-01.yaml"), "utf8");
      expect(parse(text).links).toEqual({ FOOD_ORDERING: ["https://order.example.com/odd-01"] });
      expect(text).not.toContain("odd.example.com");
    },
  );

  const hostileIds = [
    "b1\nbusiness_id: attackerid\n#",
    "b1 # comment",
    "b1: x",
    "b1'\"quoted",
    "b1\u2028business_id: attackerid",
    "../../etc/passwd",
  ];
  test.each(hostileIds)("a business id %j from Partoo is refused, never written", async (id) => {
    await reseed(
      seedBusiness("hostile-01", { SHOP_ONLINE: ["https://shop.example.com/h"] }, { id }),
    );
    for (const flags of [["--all"], ["--all", "--by-id"], ["--code", "hostile-01"]]) {
      const result = await run("import", ...flags);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("which is not an id");
      expect(result.stdout).not.toContain("\nbusiness_id: attackerid");
    }
    await expect(readdir(path.join(dir, "stores"))).resolves.toEqual([]);
    await expect(readFile(path.join(dir, "state.json"), "utf8")).rejects.toThrow();
  });

  const hostileNames = [
    "Shop\nbusiness_id: attackerid",
    "Shop\r\ncode: other",
    "Shop # not a comment",
    "Shop: colon",
    "Shop \"quoted\" 'single'",
    "Shop\u2028code: other\u2029links: {}",
    "Shop\u202e\u200b\u0085\u001b[31m",
  ];
  test.each(hostileNames)("a business name %j stays inside the header comment", async (name) => {
    await reseed(
      seedBusiness("named-01", { SHOP_ONLINE: ["https://shop.example.com/n"] }, { name }),
    );
    const result = await run("import", "--code", "named-01");
    expect(result.code).toBe(0);
    const text = await readFile(path.join(dir, "stores", "named-01.yaml"), "utf8");
    expect(parse(text)).toEqual({
      code: "named-01",
      links: { SHOP_ONLINE: ["https://shop.example.com/n"] },
    });
    const header = text.split("\n").filter((line) => line.startsWith("# Imported"));
    expect(header).toHaveLength(1);
    // eslint-disable-next-line no-control-regex -- control characters are what must not be written
    expect(text).not.toMatch(/[\u2028\u2029\u0085\u202e\u200b\u001b\r]/);
    expect((await runCli(["validate"], { cwd: dir })).code).toBe(0);
  });

  const hostileUrls = [
    "https://shop.example.com/a\nbusiness_id: attackerid",
    "https://shop.example.com/a #comment",
    "https://shop.example.com/a\u2028b",
    "javascript:alert(1)",
    "http://shop.example.com/plain-http",
  ];
  test.each(hostileUrls)(
    "a live URL %j that no store file may hold is an error for its store",
    async (url) => {
      await reseed(
        seedBusiness("url-01", { SHOP_ONLINE: [url] }),
        seedBusiness("url-02", { SHOP_ONLINE: ["https://shop.example.com/fine"] }),
      );
      const result = await run("import", "--all");
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /✗ url-01: its live SHOP_ONLINE link URL [^]*; fix the link in Partoo first/,
      );
      expect(await readdir(path.join(dir, "stores"))).toEqual(["url-02.yaml"]);
    },
  );

  test("URLs with #, quotes and colons are written as YAML strings that load back the same", async () => {
    const urls = [
      "https://shop.example.com/a:b#frag:x",
      "https://shop.example.com/-#:%20x",
      "https://shop.example.com/b?q='x'&r=\"y\"",
      "https://shop.example.com/c?x=#y",
    ];
    await reseed(seedBusiness("quote-01", { SHOP_ONLINE: urls }));
    const result = await run("import", "--code", "quote-01");
    expect(result.stdout).toContain("+ stores/quote-01.yaml: 4 links");
    expect(result.code).toBe(0);
    const text = await readFile(path.join(dir, "stores", "quote-01.yaml"), "utf8");
    expect(parse(text).links.SHOP_ONLINE).toEqual(urls);
    const plan = await run("plan", "--live", "--refresh", "--detailed-exitcode");
    expect(plan.code).toBe(0);
  });

  test("a stores path under a file is one line naming the path, before any request", async () => {
    await writeFile(path.join(dir, "not-a-dir"), "");
    const result = await run("import", "--all", "--stores", "not-a-dir/stores");
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^partoo-links: not-a-dir\/stores: cannot create the stores directory \(ENOTDIR\): a part of the path is not a directory; check the path\n$/,
    );
    expect(result.stderr).not.toContain("internal error");
    expect(emu.emulator.requests).toHaveLength(0);
  });

  test("--stores /dev/null/stores is one line naming the path, not an internal error", async () => {
    const result = await run("import", "--all", "--stores", "/dev/null/stores");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^partoo-links: \/dev\/null\/stores: cannot create the stores directory \(ENOTDIR\)/,
    );
    expect(result.stderr).not.toContain("internal error");
  });

  test("a corrupt state stops the import before any request to Partoo", async () => {
    await writeFile(path.join(dir, "state.json"), "{ not json");
    const result = await run("import", "--all");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/state\.json: the state document is not valid JSON/);
    expect(emu.emulator.requests).toHaveLength(0);
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  test("live links with a URL repeated in a type are skipped with that reason, not a guess", async () => {
    await emu.close();
    emu = await startTestEmulator({
      seed: seed(
        seedBusiness("twice-01", {
          SHOP_ONLINE: ["https://shop.example.com/twice-01", "https://shop.example.com/twice-01"],
        }),
        seedBusiness("fine-01", { SHOP_ONLINE: ["https://shop.example.com/fine-01"] }),
      ),
    });
    const result = await run("import", "--all");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "✗ twice-01: its live links cannot be written as a file that matches them exactly (SHOP_ONLINE https://shop.example.com/twice-01 is repeated in its type)",
    );
    expect(result.stdout).toContain("+ stores/fine-01.yaml: 1 link");
    expect(await readdir(path.join(dir, "stores"))).toEqual(["fine-01.yaml"]);
  });

  test("with a fleet file, a default type the store lacks is written as ~, and nothing is left to do", async () => {
    await reseed(
      seedBusiness("a-01", {
        FOOD_ORDERING: [{ value: "https://order.example.com/a-01", is_preferred: true }],
      }),
      seedBusiness("b-01", { SHOP_ONLINE: ["https://shop.example.com/b-01"] }),
    );
    await writeFile(
      path.join(dir, "partoo-links.yaml"),
      "defaults:\n  links:\n    FOOD_ORDERING:\n      - url: https://order.example.com/{code}\n        preferred: true\n",
    );
    const imported = await run("import", "--all");
    expect(imported.code).toBe(0);
    const b = parse(await readFile(path.join(dir, "stores", "b-01.yaml"), "utf8"));
    expect(b.links).toEqual({
      FOOD_ORDERING: null,
      SHOP_ONLINE: ["https://shop.example.com/b-01"],
    });
    const a = parse(await readFile(path.join(dir, "stores", "a-01.yaml"), "utf8"));
    expect(a.links).toEqual({
      FOOD_ORDERING: [{ url: "https://order.example.com/a-01", preferred: true }],
    });
    expect((await run("plan", "--detailed-exitcode")).code).toBe(0);
    const live = await run("plan", "--live", "--refresh", "--detailed-exitcode");
    expect(live.stdout).toContain("no changes");
    expect(live.code).toBe(0);
  });
});
