import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { runCli } from "../helpers/cli.js";
import { seed, seedBusiness, startTestEmulator, type TestEmulator } from "../helpers/emulator.js";
import type { SeedBusiness } from "../../src/emulator/seed.js";

const FAST = ["--rate-limit", "6000000"];
const STORES = 1000;

/** A chain adopted as it is: shared patterns, and the few stores that differ. */
function chain(): SeedBusiness[] {
  const businesses: SeedBusiness[] = [];
  for (let n = 0; n < STORES; n++) {
    const code = `store-${String(n).padStart(4, "0")}`;
    const links: Record<string, NonNullable<Parameters<typeof seedBusiness>[1]>[string]> = {
      FOOD_ORDERING: [{ value: `https://order.example.com/${code}`, is_preferred: true }],
      SHOP_ONLINE: [`https://shop.example.com/stores/${code}?ref=gbp`],
    };
    if (code === "store-0007") {
      // Its code is not in its URL: its own list.
      links["FOOD_ORDERING"] = [
        { value: "https://order.example.com/flagship", is_preferred: true },
      ];
    }
    if (code === "store-0008") delete links["SHOP_ONLINE"]; // the type most have, missing
    if (code === "store-0009") links["DINING_RESERVATION"] = ["https://book.example.com/x9"];
    if (code === "store-0010") {
      // A partner's link beside ours: kept as it is, the default still fits.
      links["FOOD_ORDERING"] = [
        ...links["FOOD_ORDERING"]!,
        { value: "https://partner.example.net/p10", is_editable: false },
      ];
    }
    if (code === "store-0011") {
      // Only a partner's link: the type stays unmanaged here.
      links["FOOD_ORDERING"] = [{ value: "https://partner.example.net/p11", is_editable: false }];
    }
    businesses.push(seedBusiness(code, links));
  }
  return businesses;
}

function lines(text: string): number {
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

async function storeTexts(dir: string): Promise<Map<string, string>> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(".yaml")).sort();
  const texts = await Promise.all(names.map((name) => readFile(path.join(dir, name), "utf8")));
  return new Map(names.map((name, index) => [name, texts[index]!]));
}

describe("partoo-links import --all --factor", () => {
  let emu: TestEmulator;
  let dir: string;
  const run = (...argv: string[]) =>
    runCli([...argv, "--state", "file:state.json"], { env: emu.env, cwd: dir });

  beforeAll(async () => {
    emu = await startTestEmulator({ seed: seed(...chain()) });
  });
  afterAll(async () => {
    await emu.close();
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "partoo-factor-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("a 1,000-store fleet becomes a fleet file and thin store files, with nothing to do after", async () => {
    const imported = await run("import", "--all", "--factor", "--format", "json", ...FAST);
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.stdout);
    expect(report.imported).toHaveLength(STORES);

    const fleetText = await readFile(path.join(dir, "partoo-links.yaml"), "utf8");
    expect(fleetText.split("\n")[0]).toMatch(
      /^# yaml-language-server: \$schema=\S+\/schemas\/config\.schema\.json$/,
    );
    expect(parse(fleetText)).toEqual({
      defaults: {
        links: {
          FOOD_ORDERING: [{ url: "https://order.example.com/{code}", preferred: true }],
          SHOP_ONLINE: ["https://shop.example.com/stores/{code}?ref=gbp"],
        },
      },
    });
    const texts = await storeTexts(path.join(dir, "stores"));
    expect(texts.size).toBe(STORES);
    const linksOf = (code: string) => parse(texts.get(`${code}.yaml`)!).links;
    expect(linksOf("store-0500")).toEqual({});
    expect(linksOf("store-0007")).toEqual({
      FOOD_ORDERING: [{ url: "https://order.example.com/flagship", preferred: true }],
    });
    expect(linksOf("store-0008")).toEqual({ SHOP_ONLINE: null });
    expect(texts.get("store-0008.yaml")).toContain("SHOP_ONLINE: ~");
    expect(linksOf("store-0009")).toEqual({ DINING_RESERVATION: ["https://book.example.com/x9"] });
    expect(linksOf("store-0010")).toEqual({});
    expect(linksOf("store-0011")).toEqual({ FOOD_ORDERING: null });

    // The shrink, against what an import without --factor (and without a fleet file) writes.
    const unfactored = await mkdtemp(path.join(tmpdir(), "partoo-unfactored-"));
    const plain = await runCli(["import", "--all", "--state", "file:plain.json", ...FAST], {
      env: emu.env,
      cwd: unfactored,
    });
    expect(plain.code).toBe(0);
    const plainTexts = await storeTexts(path.join(unfactored, "stores"));
    const before = [...plainTexts.values()].reduce((n, text) => n + lines(text), 0);
    await rm(unfactored, { recursive: true });
    const storeLines = [...texts.values()].reduce((n, text) => n + lines(text), 0);
    const after = lines(fleetText) + storeLines;
    expect(report.factor).toEqual({
      fleetFile: "partoo-links.yaml",
      defaults: ["FOOD_ORDERING", "SHOP_ONLINE"],
      templates: 2,
      storeFiles: STORES,
      lines: {
        before,
        fleetFile: lines(fleetText),
        storeFiles: storeLines,
        after,
        saved: before - after,
        percent: Math.round(((before - after) / before) * 100),
      },
    });
    // Four shared lines left each thin file, one header line came in; the fleet file costs a few.
    expect(before - after).toBeGreaterThan(STORES * 4.9);

    expect((await runCli(["validate"], { cwd: dir })).code).toBe(0);
    const offline = await run("plan", "--detailed-exitcode");
    expect(offline.stdout).toContain("no changes");
    expect(offline.code).toBe(0);
    const live = await run("plan", "--live", "--refresh", "--detailed-exitcode", ...FAST);
    expect(live.stdout).toContain("no changes");
    expect(live.code).toBe(0);

    // Again: the fleet file is there, and it is kept.
    const again = await run("import", "--all", "--factor", ...FAST);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      "partoo-links.yaml already exists; import --factor writes a new fleet file: add --force to replace it",
    );
    expect(await readFile(path.join(dir, "partoo-links.yaml"), "utf8")).toBe(fleetText);
  }, 60_000);
});

describe("partoo-links import --factor, on a few stores", () => {
  let emu: TestEmulator;
  let dir: string;
  const run = (...argv: string[]) =>
    runCli([...argv, "--state", "file:state.json"], { env: emu.env, cwd: dir });

  beforeEach(async () => {
    emu = await startTestEmulator({
      seed: seed(
        ...["a-01", "b-01", "c-01"].map((code) =>
          seedBusiness(code, {
            APPOINTMENT: [{ value: `https://book.example.com/${code}`, is_preferred: true }],
          }),
        ),
      ),
    });
    dir = await mkdtemp(path.join(tmpdir(), "partoo-factor-"));
  });
  afterEach(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("--factor needs --all", async () => {
    const result = await run("import", "--code", "a-01", "--factor");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("import --factor: give --all too");
  });

  test("existing store files are replaced with --force only, and --force recovers a half-written run", async () => {
    await run("import", "--all");
    const refused = await run("import", "--all", "--factor");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "3 store files (stores/a-01.yaml, stores/b-01.yaml, stores/c-01.yaml) are already in the stores directory",
    );
    // As a crash before the fleet file would leave it: thin files, no fleet file.
    await writeFile(path.join(dir, "stores", "a-01.yaml"), "code: a-01\nlinks: {}\n");
    // A fleet file from before is replaced too.
    const old = "profiles:\n  salon:\n    links:\n      APPOINTMENT: []\n";
    await writeFile(path.join(dir, "partoo-links.yaml"), old);
    const forced = await run("import", "--all", "--factor", "--force", "--format", "markdown");
    expect(forced.code).toBe(0);
    expect(parse(await readFile(path.join(dir, "partoo-links.yaml"), "utf8"))).toEqual({
      defaults: {
        links: { APPOINTMENT: [{ url: "https://book.example.com/{code}", preferred: true }] },
      },
    });
    expect(forced.stdout).toContain(
      "- Fleet file partoo-links.yaml\\: 1 default type \\(APPOINTMENT\\), 1 link template\n",
    );
    const offline = await run("plan", "--detailed-exitcode");
    expect(offline.code).toBe(0);
    const live = await run("plan", "--live", "--refresh", "--detailed-exitcode");
    expect(live.code).toBe(0);
  });

  test("a store file it would not write makes it refuse, before writing anything", async () => {
    await writeFile(path.join(dir, "partoo-links.yaml"), "defaults:\n  links: {}\n");
    await run("import", "--all");
    await writeFile(path.join(dir, "stores", "gone-01.yaml"), "code: gone-01\nlinks: {}\n");
    const refused = await run("import", "--all", "--factor", "--force");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "import --factor: stores/gone-01.yaml is not imported now (no business with that code, or skipped) and would inherit the new defaults of partoo-links.yaml; nothing written",
    );
    expect(await readFile(path.join(dir, "partoo-links.yaml"), "utf8")).toBe(
      "defaults:\n  links: {}\n",
    );
  });

  test("--config names the fleet file, and its $schema is relative to it", async () => {
    const result = await run("import", "--all", "--factor", "--config", "fleet/links.yaml");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Fleet file fleet/links.yaml: 1 default type (APPOINTMENT)");
    const text = await readFile(path.join(dir, "fleet", "links.yaml"), "utf8");
    expect(text.split("\n")[0]).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/\S+config\.schema\.json$/,
    );
    const store = await readFile(path.join(dir, "stores", "a-01.yaml"), "utf8");
    expect(store).toContain("Types not listed here: from the defaults of fleet/links.yaml");
    const plan = await run("plan", "--config", "fleet/links.yaml", "--detailed-exitcode");
    expect(plan.code).toBe(0);
  });
});
