import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { InputError } from "../../../src/errors.js";
import type { StoreRecord } from "../../../src/core/model.js";
import { createFileStateBackend } from "../../../src/state/file.js";
import { parseWholeStateDocument, withLinks } from "../../../src/state/document.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "partoo-state-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function record(index: number): StoreRecord {
  return {
    address: `c-store-${index}`,
    hash: "a".repeat(64),
    fileHash: "b".repeat(64),
    links: {
      SHOP_ONLINE: [{ id: index, url: `https://shop.example.com/${index}`, preferred: true }],
    },
    commit: "c".repeat(40),
    appliedAt: "2024-05-01T10:00:00.000Z",
    lastAttempt: { status: "ok", at: "2024-05-01T10:00:00.000Z" },
  };
}

describe("the file: state backend", () => {
  test("reads a missing document as empty, without creating it", async () => {
    const file = path.join(dir, ".partoo", "state.json");
    const backend = createFileStateBackend(file);
    expect(await backend.read()).toEqual({ version: 2, stores: {} });
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  test("records, replaces and drops store entries, creating its directory", async () => {
    const file = path.join(dir, ".partoo", "state.json");
    const backend = createFileStateBackend(file);
    await backend.update({ b: record(2), a: record(1) });
    const written = await backend.update({ b: null, c: record(3) });
    expect(Object.keys(written.stores)).toEqual(["a", "c"]);
    const text = await readFile(file, "utf8");
    expect(parseWholeStateDocument(text, "test")).toEqual(written);
    // A fresh backend (another run) reads the same document.
    const reread = await createFileStateBackend(file).read();
    expect(withLinks(reread, Object.keys(reread.stores))).toEqual(written);
  });

  test("keeps every record of concurrent updates and leaves no temporary file", async () => {
    const file = path.join(dir, "state.json");
    const backend = createFileStateBackend(file);
    await Promise.all(
      Array.from({ length: 50 }, (_, index) => backend.update({ [`s${index}`]: record(index) })),
    );
    expect(Object.keys((await createFileStateBackend(file).read()).stores)).toHaveLength(50);
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  test("merges onto a document another writer replaced meanwhile", async () => {
    const file = path.join(dir, "state.json");
    const backend = createFileStateBackend(file);
    await backend.update({ a: record(1) });
    await createFileStateBackend(file).update({ other: record(9) });
    const written = await backend.update({ b: record(2) });
    expect(Object.keys(written.stores).sort()).toEqual(["a", "b", "other"]);
  });

  test.each([
    ["not JSON", "{ not json", /state\.json: the state document is not valid JSON/],
    ["empty", "", /state\.json: the state document is not valid JSON/],
    ["of an unknown version", '{"version": 7, "stores": {}}', /version 7 is not supported/],
    ["not matching the schema", '{"version": 1, "stores": {"a": {}}}', /is corrupt at \/stores\/a/],
  ])(
    "refuses a document %s with a clear error, never reading it as empty",
    async (_name, text, message) => {
      const file = path.join(dir, "state.json");
      await writeFile(file, text);
      const backend = createFileStateBackend(file, { description: "file:state.json" });
      await expect(backend.read()).rejects.toThrow(InputError);
      await expect(backend.read()).rejects.toThrow(message);
      await expect(backend.update({ a: record(1) })).rejects.toThrow(message);
      expect(await readFile(file, "utf8")).toBe(text);
    },
  );

  test("refuses a path that is a directory", async () => {
    await mkdir(path.join(dir, "state.json"));
    const backend = createFileStateBackend(path.join(dir, "state.json"), {
      description: "file:state.json",
    });
    await expect(backend.read()).rejects.toThrow(
      /^file:state\.json: the state document path is not a file/,
    );
  });

  test("reports a document it cannot write as one clear error", async () => {
    await writeFile(path.join(dir, "blocker"), "");
    const backend = createFileStateBackend(path.join(dir, "blocker", "state.json"), {
      description: "file:blocker/state.json",
    });
    await expect(backend.update({ a: record(1) })).rejects.toThrow(
      /^file:blocker\/state\.json: cannot (read|write) the state document \(ENOTDIR\); /,
    );
  });

  test("handles 10,000 stores quickly", async () => {
    const file = path.join(dir, "state.json");
    const stores = Object.fromEntries(
      Array.from({ length: 10_000 }, (_, index) => [`store-${index}`, record(index)]),
    );
    const started = performance.now();
    const backend = createFileStateBackend(file);
    await backend.update(stores);
    for (let index = 0; index < 20; index++) await backend.update({ [`store-${index}`]: null });
    const document = await createFileStateBackend(file).read();
    const elapsed = performance.now() - started;
    expect(Object.keys(document.stores)).toHaveLength(9_980);
    expect(elapsed).toBeLessThan(5_000);
  });
});
