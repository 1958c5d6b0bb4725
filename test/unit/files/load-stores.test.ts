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
  test("hashFiles: false (validate) hashes no file; with skipUnchanged, files are still hashed", async () => {
    for (let index = 0; index < 3; index++) {
      const code = `s-${String(index).padStart(3, "0")}`;
      write(`${code}.yaml`, store(code));
    }
    const hashed = await load({ workers: false });
    const unhashed = await load({ workers: false, hashFiles: false });
    expect(unhashed.lines).toEqual([]);
    expect(unhashed.stores.map(({ store }) => store)).toEqual(
      hashed.stores.map(({ store }) => store),
    );
    expect(new Set(unhashed.stores.map(({ fileHash }) => fileHash))).toEqual(new Set([""]));
    expect(hashed.stores[0]?.fileHash).toBe(sha256(store("s-000")));
    const known = new Map([["s-000", { fileHash: sha256(store("s-000")) }]]);
    const skipping = await load({ hashFiles: false, skipUnchanged: known });
    expect(skipping.skipped.map(({ code }) => code)).toEqual(["s-000"]);
    expect(skipping.stores[0]?.fileHash).toBe(sha256(store("s-001")));
  });

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

  test("the same business_id in two files makes both invalid, reported once on the first", async () => {
    write("lille-01.yaml", store("lille-01", "business_id: 5409c35a97bbc544d8e26737\n"));
    write("lille-02.yaml", store("lille-02", "business_id: 5409c35a97bbc544d8e26737\n"));
    const { stores, lines } = await load();
    expect(stores).toEqual([]);
    expect(lines).toEqual([
      'stores/lille-01.yaml:2:14: business_id "5409c35a97bbc544d8e26737" is also used by stores/lille-02.yaml:2:14; a business belongs to one store file, remove it from all but one',
    ]);
  });

  test("the same code in two files makes both invalid, reported once", async () => {
    write("nice-01.yaml", store("nice-01"));
    write("nice-02.yaml", store("nice-01"));
    const { stores, lines } = await load();
    expect(stores).toEqual([]);
    expect(lines).toEqual([
      'stores/nice-01.yaml:1:7: code "nice-01" is also used by stores/nice-02.yaml:1:7; each store has exactly one file, keep one',
      'stores/nice-02.yaml:1:7: code "nice-01" does not match the file name nice-02.yaml; rename the file to nice-01.yaml or write code: nice-02',
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
      "stores/lyon-01.yaml: a broken symbolic link (it leads to nothing); fix or remove it",
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

  test("3,000 files of one code make one line, naming a few files and counting the rest, quickly", async () => {
    for (let index = 0; index < 3_000; index++) {
      write(`dup-${String(index).padStart(4, "0")}.yaml`, store("dup-0000"));
    }
    const started = performance.now();
    const result = await load();
    const elapsed = performance.now() - started;
    const duplicates = result.lines.filter((line) => line.includes("is also used by"));
    expect(duplicates).toEqual([
      'stores/dup-0000.yaml:1:7: code "dup-0000" is also used by 2,999 other files: stores/dup-0001.yaml:1:7, stores/dup-0002.yaml:1:7, stores/dup-0003.yaml:1:7, stores/dup-0004.yaml:1:7 and 2,995 more; each store has exactly one file, keep one',
    ]);
    // Every file is invalid, and named once at most: the others say their code is not their name.
    expect(result.stores).toEqual([]);
    expect(result.invalidFiles?.size).toBe(3_000);
    expect(result.lines.join("\n").length).toBeLessThan(3_000 * 200);
    // Generous for a shared 2-core machine; the quadratic report took minutes and gigabytes.
    expect(elapsed).toBeLessThan(20_000);
  }, 30_000);

  test("many groups are reported one line each, and the summary counts every invalid file", async () => {
    for (let index = 0; index < 300; index++) {
      const id = `biz${index % 100}`;
      write(
        `s-${String(index).padStart(3, "0")}.yaml`,
        store(`s-${String(index).padStart(3, "0")}`, `business_id: ${id}\n`),
      );
    }
    const result = await load();
    expect(result.lines).toHaveLength(100);
    expect(result.lines[0]).toBe(
      'stores/s-000.yaml:2:14: business_id "biz0" is also used by 2 other files: stores/s-100.yaml:2:14, stores/s-200.yaml:2:14; a business belongs to one store file, remove it from all but one',
    );
    const { validationReport, validationSummary } =
      await import("../../../src/files/render-validation.js");
    expect(validationSummary(validationReport(result))).toBe("100 errors in 300 of 300 files");
  });

  test("a duplicate's value is quoted short and escaped", async () => {
    const id = `${"x".repeat(90)}`;
    write("a-01.yaml", store("a-01", `business_id: ${id}\n`));
    write("a-02.yaml", store("a-02", `business_id: ${id}\n`));
    const { lines } = await load();
    expect(lines[0]).toContain(
      `business_id "${"x".repeat(59)}…" is also used by stores/a-02.yaml:2:14`,
    );
  });

  test("validate on 3,000 files of one business_id prints two short lines", async () => {
    for (let index = 0; index < 3_000; index++) {
      const code = `s-${String(index).padStart(4, "0")}`;
      write(`${code}.yaml`, store(code, "business_id: 5409c35a97bbc544d8e26737\n"));
    }
    const { runCli } = await import("../../helpers/cli.js");
    const result = await runCli(["validate", "--format", "github"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^::error file=stores\/s-0000\.yaml,line=2,col=14::business_id "5409c35a97bbc544d8e26737" is also used by 2,999 other files: .* and 2,995 more; /,
      ),
      "1 error in 3000 of 3000 files",
    ]);
    expect(result.stdout.length).toBeLessThan(1_000);
  }, 30_000);

  test.each([
    [
      "a line break and a workflow command",
      "x\n::error ::forged.yaml",
      "x\\n::error ::forged.yaml",
    ],
    ["an escape sequence", "x\u001b[2Jy.yaml", "x\\u001b[2Jy.yaml"],
    ["a bidi override", "x\u202eexe.yaml", "x\\u202eexe.yaml"],
  ])(
    "a file name with %s is shown escaped, on one line, and is invalid",
    async (_name, name, shown) => {
      write(name, store("x"));
      const { stores, lines } = await load();
      expect(stores).toEqual([]);
      expect(lines).toHaveLength(1);
      expect(lines[0]!.startsWith(`stores/${shown}:`)).toBe(true);
      for (const char of ["\n", "\u001b", "\u202e"]) expect(lines[0]).not.toContain(char);
    },
  );
});
