import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatIssue, loadStores } from "../../../src/files/index.js";
import { InputError } from "../../../src/errors.js";

let root: string;
let dir: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "partoo-links-load-"));
  dir = path.join(root, "stores");
  mkdirSync(dir);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): void {
  writeFileSync(path.join(dir, name), content);
}

function store(code: string, extra = ""): string {
  return `code: ${code}\n${extra}links:\n  SHOP_ONLINE:\n    - https://shop.example.com/${code}\n`;
}

async function load(options: Parameters<typeof loadStores>[1] = {}) {
  const result = await loadStores(dir, { displayRoot: root, ...options });
  return { ...result, lines: result.issues.map(formatIssue) };
}

const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

describe("loadStores", () => {
  test("loads every store, sorted by code, with paths relative to the display root and the hash of the bytes", async () => {
    write("lyon-01.yaml", store("lyon-01"));
    write("paris-01.yaml", store("paris-01", "business_id: abc123\n"));
    const { stores, skipped, lines } = await load();
    expect(lines).toEqual([]);
    expect(skipped).toEqual([]);
    expect(stores.map(({ file, code }) => ({ file, code }))).toEqual([
      { file: "stores/lyon-01.yaml", code: "lyon-01" },
      { file: "stores/paris-01.yaml", code: "paris-01" },
    ]);
    expect(stores[1]?.fileHash).toBe(sha256(store("paris-01", "business_id: abc123\n")));
    expect(stores[1]?.store).toEqual({
      code: "paris-01",
      businessId: "abc123",
      links: { SHOP_ONLINE: [{ url: "https://shop.example.com/paris-01", preferred: false }] },
    });
  });

  test("reports every error of every file, sorted by file and line, and keeps the valid stores", async () => {
    write("a-01.yaml", "code: a-01\nlinks:\n  SHOP_ONLNE: []\n  FOOD_TAKEOUT:\n");
    write("b-01.yaml", store("b-01"));
    write("c-01.yaml", "code: c-01\nlinks: [\n");
    const { stores, lines } = await load();
    expect(stores.map((loaded) => loaded.code)).toEqual(["b-01"]);
    expect(lines).toEqual([
      expect.stringMatching(/^stores\/a-01\.yaml:3:3: unknown place action type "SHOP_ONLNE"/),
      expect.stringMatching(/^stores\/c-01\.yaml:3:1: invalid YAML: /),
    ]);
  });

  test("the same business_id in two files is an error in both, naming the other", async () => {
    write("lille-01.yaml", store("lille-01", "business_id: 5409c35a97bbc544d8e26737\n"));
    write("lille-02.yaml", store("lille-02", "business_id: 5409c35a97bbc544d8e26737\n"));
    const { stores, lines } = await load();
    expect(stores).toEqual([]);
    expect(lines).toEqual([
      'stores/lille-01.yaml:2:14: business_id "5409c35a97bbc544d8e26737" is also used by stores/lille-02.yaml:2:14; a business belongs to one store file, remove it from all but one',
      'stores/lille-02.yaml:2:14: business_id "5409c35a97bbc544d8e26737" is also used by stores/lille-01.yaml:2:14; a business belongs to one store file, remove it from all but one',
    ]);
  });

  test("the same code in two files is an error in both", async () => {
    write("nice-01.yaml", store("nice-01"));
    write("nice-02.yaml", store("nice-01"));
    const { stores, lines } = await load();
    expect(stores).toEqual([]);
    expect(lines).toEqual([
      'stores/nice-01.yaml:1:7: code "nice-01" is also used by stores/nice-02.yaml:1:7; each store has exactly one file, keep one',
      'stores/nice-02.yaml:1:7: code "nice-01" does not match the file name nice-02.yaml; rename the file to nice-01.yaml or write code: nice-02',
      'stores/nice-02.yaml:1:7: code "nice-01" is also used by stores/nice-01.yaml:1:7; each store has exactly one file, keep one',
    ]);
  });

  test("ignores dotfiles and other files, and warns about near misses it ignores", async () => {
    write("paris-01.yaml", store("paris-01"));
    write("lyon-01.yml", store("lyon-01"));
    write("nice-01.YAML", store("nice-01"));
    write("README.md", "# stores\n");
    write(".gitkeep", "");
    write(".paris-01.yaml.swp", "\0binary");
    mkdirSync(path.join(dir, "archive"));
    const { stores, lines } = await load();
    expect(stores.map((loaded) => loaded.code)).toEqual(["paris-01"]);
    expect(lines).toEqual([
      "stores/archive: warning: ignored: store files are read from stores/ itself, not from subdirectories",
      "stores/lyon-01.yml: warning: ignored: store files end in .yaml; rename it to lyon-01.yaml",
      "stores/nice-01.YAML: warning: ignored: store files end in .yaml; rename it to nice-01.yaml",
    ]);
  });

  test("refuses a directory named like a store file", async () => {
    mkdirSync(path.join(dir, "paris-01.yaml"));
    const { lines } = await load();
    expect(lines).toEqual([
      "stores/paris-01.yaml: a directory is named like a store file; a store file is a regular .yaml file: rename or remove this one",
    ]);
  });

  test("refuses files over 256 KiB, binary files, UTF-16 and other non-UTF-8 text, without parsing them", async () => {
    write("big-01.yaml", `${store("big-01")}# ${"x".repeat(256 * 1024)}\n`);
    write("bin-01.yaml", Buffer.from([0x63, 0x6f, 0x00, 0x01, 0xff]));
    write("latin-01.yaml", Buffer.from("code: latin-01\nlinks: {}\n# caf\xe9\n", "latin1"));
    write("utf16-01.yaml", Buffer.from("\ufeffcode: utf16-01\n", "utf16le"));
    write("empty-01.yaml", "");
    const { stores, lines } = await load();
    expect(stores).toEqual([]);
    expect(lines).toEqual([
      "stores/big-01.yaml: the file is 257 KiB, over the 256 KiB limit for a store file; a store file holds one store, check that this is the right file",
      "stores/bin-01.yaml: the file contains NUL bytes, so it is binary, not YAML text; store files are UTF-8 YAML",
      "stores/empty-01.yaml: the file is empty; a store file needs code and links, e.g. code: empty-01",
      "stores/latin-01.yaml:3:6: the file is not UTF-8 text (byte 0xE9 here); save it as UTF-8",
      "stores/utf16-01.yaml: the file is UTF-16 text; save it as UTF-8",
    ]);
  });

  test("accepts a UTF-8 file that contains U+FFFD itself", async () => {
    write("paris-01.yaml", `${store("paris-01")}# replacement character: \uFFFD\n`);
    const { stores, lines } = await load();
    expect(lines).toEqual([]);
    expect(stores[0]?.fileHash).toBe(
      sha256(`${store("paris-01")}# replacement character: \uFFFD\n`),
    );
  });

  test("follows a symbolic link to a store file, and reports a broken one", async () => {
    writeFileSync(path.join(root, "elsewhere.yaml"), store("paris-01"));
    symlinkSync(path.join(root, "elsewhere.yaml"), path.join(dir, "paris-01.yaml"));
    symlinkSync(path.join(root, "missing.yaml"), path.join(dir, "lyon-01.yaml"));
    const { stores, lines } = await load();
    expect(stores.map((loaded) => loaded.code)).toEqual(["paris-01"]);
    expect(lines).toEqual([
      "stores/lyon-01.yaml: cannot read the file: it no longer exists (a broken symbolic link?)",
    ]);
  });

  const hasMkfifo = (() => {
    try {
      execFileSync("mkfifo", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();
  (hasMkfifo ? test : test.skip)(
    "refuses a FIFO, directly or through a link, without hanging",
    async () => {
      execFileSync("mkfifo", [path.join(dir, "fifo-01.yaml")]);
      execFileSync("mkfifo", [path.join(root, "pipe")]);
      symlinkSync(path.join(root, "pipe"), path.join(dir, "fifo-02.yaml"));
      const { lines } = await load();
      expect(lines).toEqual([
        "stores/fifo-01.yaml: not a regular file is named like a store file; a store file is a regular .yaml file: rename or remove this one",
        "stores/fifo-02.yaml: not a regular file; a store file is a regular .yaml file",
      ]);
    },
  );

  test("a missing directory is one InputError that names it", async () => {
    const missing = loadStores(path.join(root, "nope"), { displayRoot: root });
    await expect(missing).rejects.toBeInstanceOf(InputError);
    await expect(missing).rejects.toHaveProperty(
      "message",
      "nope: no such directory; run partoo-links from your repository root or pass --stores DIR",
    );
    write("file.yaml", "");
    await expect(
      loadStores(path.join(dir, "file.yaml"), { displayRoot: root }),
    ).rejects.toBeInstanceOf(InputError);
  });

  test("only reads the codes asked for, and a code without a file is not an error", async () => {
    write("paris-01.yaml", store("paris-01"));
    write("lyon-01.yaml", "broken: [\n");
    write("lyon-01.yml", "");
    const { stores, lines } = await load({ only: ["paris-01", "nice-09"] });
    expect(stores.map((loaded) => loaded.code)).toEqual(["paris-01"]);
    expect(lines).toEqual([]);
  });

  test("skipUnchanged lists files whose bytes did not change without parsing them", async () => {
    const unchanged = store("paris-01", "business_id: abc123\n");
    write("paris-01.yaml", unchanged);
    write("lyon-01.yaml", store("lyon-01"));
    const { stores, skipped, lines } = await load({
      skipUnchanged: new Map([
        ["paris-01", { fileHash: sha256(unchanged), businessId: "abc123" }],
        ["lyon-01", { fileHash: sha256("an older version") }],
      ]),
    });
    expect(lines).toEqual([]);
    expect(stores.map((loaded) => loaded.code)).toEqual(["lyon-01"]);
    expect(skipped).toEqual([
      {
        file: "stores/paris-01.yaml",
        code: "paris-01",
        fileHash: sha256(unchanged),
        businessId: "abc123",
      },
    ]);
  });

  test("a file skipped unparsed still takes part in the duplicate business_id check", async () => {
    const unchanged = "not even parsed: [";
    write("paris-01.yaml", unchanged);
    write("paris-02.yaml", store("paris-02", "business_id: abc123\n"));
    const { stores, skipped, lines } = await load({
      skipUnchanged: new Map([["paris-01", { fileHash: sha256(unchanged), businessId: "abc123" }]]),
    });
    expect(stores).toEqual([]);
    expect(skipped).toEqual([]);
    expect(lines).toEqual([
      'stores/paris-01.yaml: business_id "abc123" is also used by stores/paris-02.yaml:2:14; a business belongs to one store file, remove it from all but one',
      'stores/paris-02.yaml:2:14: business_id "abc123" is also used by stores/paris-01.yaml; a business belongs to one store file, remove it from all but one',
    ]);
  });

  test("paths are shown relative to the display root, which defaults to the cwd", async () => {
    write("paris-01.yaml", "code: paris-01\n");
    const result = await loadStores(dir, { displayRoot: dir });
    expect(result.issues[0]?.file).toBe("paris-01.yaml");
    const fromCwd = await loadStores(dir);
    expect(fromCwd.issues[0]?.file).toBe(
      path.relative(process.cwd(), path.join(dir, "paris-01.yaml")),
    );
  });
});
