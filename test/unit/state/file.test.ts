import { spawnSync } from "node:child_process";
import {
  lstat,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
  mkdir,
} from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { InputError } from "../../../src/errors.js";
import type { StoreRecord } from "../../../src/core/model.js";
import { createFileStateBackend } from "../../../src/state/file.js";
import { parseWholeStateDocument, withLinks } from "../../../src/state/document.js";
import { writeFileAtomically, writeFileAtomicallyFrom } from "../../../src/state/atomic-write.js";

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
    await backend.update({ b: null, c: record(3) });
    const written = { version: 2, stores: { a: record(1), c: record(3) } };
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
    await backend.update({ b: record(2) });
    const written = await backend.read();
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
    // Saves merge the file a chunk at a time (lines cut across chunks): every record intact.
    expect((await stat(file)).size).toBeGreaterThan(3 * 1024 * 1024);
    // The same records saved at once, read back: what the merged saves must read as.
    await createFileStateBackend(path.join(dir, "whole.json")).update(stores);
    const expected = {
      ...(await createFileStateBackend(path.join(dir, "whole.json")).read()).stores,
    };
    for (let index = 0; index < 20; index++) delete expected[`store-${index}`];
    expect(document.stores).toEqual(expected);
  });
});

describe("the file: state backend's saves", () => {
  test("a save copies the lines of the other stores byte for byte and reads back whole", async () => {
    const file = path.join(dir, "state.json");
    const backend = createFileStateBackend(file);
    await backend.update({ a: record(1), b: record(2), c: record(3) });
    // Lines without the comma that separates them from the next.
    const lines = async () => (await readFile(file, "utf8")).split(/,?\n/);
    const before = await lines();
    await backend.update({ b: { ...record(2), commit: "d".repeat(40) }, d: record(4) });
    const after = await lines();
    for (const code of ['"a":', '"c":']) {
      expect(after.filter((line) => line.startsWith(code))).toEqual(
        before.filter((line) => line.startsWith(code)),
      );
    }
    const reread = parseWholeStateDocument(await readFile(file), "test");
    expect(reread.stores).toEqual({
      a: record(1),
      b: { ...record(2), commit: "d".repeat(40) },
      c: record(3),
      d: record(4),
    });
  });

  test("a document edited by hand between two saves is read in full again, keeping the edit", async () => {
    const file = path.join(dir, "state.json");
    const backend = createFileStateBackend(file);
    await backend.update({ a: record(1) });
    const edited = JSON.parse(await readFile(file, "utf8")) as {
      stores: Record<string, StoreRecord>;
    };
    edited.stores["a"] = { ...edited.stores["a"]!, commit: "e".repeat(40) };
    await writeFile(file, JSON.stringify(edited, null, 2));
    await backend.update({ b: record(2) });
    const reread = parseWholeStateDocument(await readFile(file), "test");
    expect(reread.stores["a"]).toEqual({ ...record(1), commit: "e".repeat(40) });
    expect(reread.stores["b"]).toEqual(record(2));
    // Written back in the layout a save merges into: one store per line, a checksum.
    expect(await readFile(file, "utf8")).toMatch(/^\{"version":2,"stores":\{\n"a":/);
  });

  test("a document damaged between two saves is reported and left as it is, never overwritten", async () => {
    const file = path.join(dir, "state.json");
    const backend = createFileStateBackend(file, { description: "file:state.json" });
    await backend.update({ a: record(1), b: record(2) });
    const damaged = (await readFile(file, "utf8")).slice(0, 120);
    await writeFile(file, damaged);
    await expect(backend.update({ c: record(3) })).rejects.toThrow(
      /^file:state\.json: the state document is not valid JSON/,
    );
    expect(await readFile(file, "utf8")).toBe(damaged);
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  test("a save that fails midway leaves the previous document and no temporary file", async () => {
    const file = path.join(dir, "state.json");
    await writeFileAtomically(file, "previous\n");
    await expect(
      writeFileAtomicallyFrom(file, async (write) => {
        await write([Buffer.from("half of ")]);
        throw new Error("killed");
      }),
    ).rejects.toThrow("killed");
    expect(await readFile(file, "utf8")).toBe("previous\n");
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  test("a save writes every piece, however many", async () => {
    const file = path.join(dir, "state.json");
    const pieces = Array.from({ length: 3000 }, (_, index) => Buffer.from(`${index},`));
    await writeFileAtomicallyFrom(file, (write) => write(pieces));
    expect(await readFile(file, "utf8")).toBe(Buffer.concat(pieces).toString());
  });
});

describe("the file: state backend and symbolic links", () => {
  test.each(["read", "update"] as const)(
    "refuses a state document that is a link, on %s, leaving the link and its target alone",
    async (operation) => {
      const target = path.join(dir, "elsewhere.json");
      await writeFile(target, "SECRET=ghs_0123456789abcdef0123456789abcdef0123\n");
      const file = path.join(dir, "state.json");
      await symlink(target, file);
      const backend = createFileStateBackend(file, { description: "file:state.json" });
      const attempt = operation === "read" ? backend.read() : backend.update({ a: record(1) });
      await expect(attempt).rejects.toThrow(InputError);
      await expect(
        operation === "read" ? backend.read() : backend.update({ a: record(1) }),
      ).rejects.toThrow(
        /^file:state\.json: the state document is a symbolic link; .*point --state at the real file/,
      );
      expect((await lstat(file)).isSymbolicLink()).toBe(true);
      expect(await readlink(file)).toBe(target);
      expect(await readFile(target, "utf8")).toContain("ghs_");
    },
  );

  test("refuses a broken link too, rather than creating its target", async () => {
    const file = path.join(dir, "state.json");
    await symlink(path.join(dir, "missing", "target.json"), file);
    const backend = createFileStateBackend(file, { description: "file:state.json" });
    await expect(backend.update({ a: record(1) })).rejects.toThrow(/is a symbolic link/);
    await expect(readdir(dir)).resolves.toEqual(["state.json"]);
  });

  test("inside a git work tree, refuses a state directory that leads outside it", async () => {
    const repo = path.join(dir, "repo");
    const outside = path.join(dir, "outside");
    await mkdir(path.join(repo, ".git"), { recursive: true });
    await mkdir(outside);
    await symlink(outside, path.join(repo, ".partoo"));
    const backend = createFileStateBackend(path.join(repo, ".partoo", "state.json"), {
      description: "file:.partoo/state.json",
    });
    await expect(backend.update({ a: record(1) })).rejects.toThrow(
      /^file:\.partoo\/state\.json: the state document's directory is a symbolic link that leads outside the repository/,
    );
    await expect(readdir(outside)).resolves.toEqual([]);
  });

  test("accepts a state directory linked inside the work tree", async () => {
    const repo = path.join(dir, "repo");
    await mkdir(path.join(repo, ".git"), { recursive: true });
    await mkdir(path.join(repo, "state-dir"));
    await symlink(path.join(repo, "state-dir"), path.join(repo, ".partoo"));
    const backend = createFileStateBackend(path.join(repo, ".partoo", "state.json"));
    await backend.update({ a: record(1) });
    expect(
      Object.keys(
        (await createFileStateBackend(path.join(repo, "state-dir", "state.json")).read()).stores,
      ),
    ).toEqual(["a"]);
  });
});

describe("the file: state backend's lock", () => {
  const file = () => path.join(dir, "state.json");
  const lock = () => `${file()}.lock`;
  const holder = (fields: Record<string, unknown>) =>
    JSON.stringify({
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
      token: "t",
      ...fields,
    });

  test("two backends writing one file at once (two runs) lose no record", async () => {
    // Separate backends share nothing in memory, as two processes do: each save must read
    // what the other saved. Without the lock, interleaved saves drop records.
    const first = createFileStateBackend(file());
    const second = createFileStateBackend(file());
    await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        (index % 2 === 0 ? first : second).update({ [`s${index}`]: record(index) }),
      ),
    );
    const stores = (await createFileStateBackend(file()).read()).stores;
    expect(Object.keys(stores).sort()).toEqual(
      Array.from({ length: 60 }, (_, index) => `s${index}`).sort(),
    );
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  test("a lock held by a live run makes a save wait, then fail naming the lock, the holder and what to do", async () => {
    const since = new Date().toISOString();
    await writeFile(lock(), holder({ since }));
    const backend = createFileStateBackend(file(), {
      description: "file:state.json",
      lockWaitMs: 300,
    });
    const started = Date.now();
    const attempt = backend.update({ a: record(1) });
    await expect(attempt).rejects.toThrow(InputError);
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `^file:state\\.json: the state document is locked by another run \\(pid ${process.pid} on this host since ${since.replace(/\./g, "\\.")}; lock file .*state\\.json\\.lock\\); wait for that run to finish and run again, or delete the lock file if no partoo-links run uses this state$`,
      ),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // Nothing written, the other run's lock kept.
    expect((await readdir(dir)).sort()).toEqual(["state.json.lock"]);
  });

  test("a save waits for a lock released meanwhile, then goes on", async () => {
    await writeFile(lock(), holder({}));
    const backend = createFileStateBackend(file(), { lockWaitMs: 5_000 });
    setTimeout(() => void rm(lock()), 200);
    await backend.update({ a: record(1) });
    expect(Object.keys((await createFileStateBackend(file()).read()).stores)).toEqual(["a"]);
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  const deadPid = () => {
    const child = spawnSync(process.execPath, ["-e", ""]);
    return child.pid!;
  };

  test.each([
    [
      "left by a run on this host that is gone",
      () => holder({ pid: deadPid() }),
      /which is no longer running/,
    ],
    [
      "older than any save, from another host",
      () => holder({ host: "ci-runner-7", since: new Date(Date.now() - 600_000).toISOString() }),
      /left by pid \d+ on host "ci-runner-7" since .*, more than 120 s ago/,
    ],
    [
      "that is not a lock of ours and is old",
      () => "garbage",
      /left by an unknown process, more than 120 s ago/,
    ],
  ])(
    "a stale lock %s is removed and reported, and the save goes on",
    async (_name, content, warning) => {
      await writeFile(lock(), content());
      if (_name.includes("not a lock")) {
        const old = new Date(Date.now() - 600_000);
        const { utimes } = await import("node:fs/promises");
        await utimes(lock(), old, old);
      }
      const warnings: string[] = [];
      const backend = createFileStateBackend(file(), {
        description: "file:state.json",
        lockWaitMs: 200,
        warn: (message) => warnings.push(message),
      });
      await backend.update({ a: record(1) });
      expect(warnings).toEqual([
        expect.stringMatching(/^file:state\.json: removed the lock .*state\.json\.lock /),
      ]);
      expect(warnings[0]).toMatch(warning);
      expect(Object.keys((await createFileStateBackend(file()).read()).stores)).toEqual(["a"]);
      expect(await readdir(dir)).toEqual(["state.json"]);
    },
  );

  test("a young lock that is not ours is waited for like any other", async () => {
    await writeFile(lock(), "garbage");
    const backend = createFileStateBackend(file(), {
      description: "file:state.json",
      lockWaitMs: 200,
    });
    await expect(backend.update({ a: record(1) })).rejects.toThrow(
      /locked by another run \(an unknown process; lock file/,
    );
  });

  test("reading needs no lock: a held lock does not stop a plan", async () => {
    await createFileStateBackend(file()).update({ a: record(1) });
    await writeFile(lock(), holder({}));
    const backend = createFileStateBackend(file(), { lockWaitMs: 100 });
    expect(Object.keys((await backend.read()).stores)).toEqual(["a"]);
  });
});
