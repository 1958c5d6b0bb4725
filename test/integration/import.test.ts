import { mkdtemp, readFile, readdir, writeFile, mkdir } from "node:fs/promises";
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
  afterEach(() => emu.close());

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
      "### partoo-links import\n\n**Import: 1 store written to stores, 0 skipped, 0 errors**\n\n| store | result |\n|---|---|\n| `lyon-01` | ➕ stores/lyon-01.yaml: 1 link |\n",
    );
    const github = await run("import", "--code", "nowhere-9", "--format", "github");
    expect(github.stdout).toContain(
      "::error title=partoo-links import::nowhere-9: no business has this code (any status)\n",
    );
  });

  test("the file keeps editable links only, with the shorthand for links not preferred", async () => {
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
});
