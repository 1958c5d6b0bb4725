import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeFilesTogether } from "../../../src/state/atomic-write.js";

describe("writeFilesTogether", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "partoo-together-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("writes every file, replacing those there, and leaves no staging directory", async () => {
    await writeFile(path.join(dir, "a.yaml"), "old\n");
    const files = Array.from({ length: 20 }, (_, n) => ({ name: `s-${n}.yaml`, text: `${n}\n` }));
    await writeFilesTogether(dir, [{ name: "a.yaml", text: "new\n" }, ...files]);
    expect(await readFile(path.join(dir, "a.yaml"), "utf8")).toBe("new\n");
    expect(await readFile(path.join(dir, "s-19.yaml"), "utf8")).toBe("19\n");
    expect((await readdir(dir)).sort()).toEqual(
      ["a.yaml", ...files.map((file) => file.name)].sort(),
    );
  });

  test("beforeRenames runs once every file is staged, before any is in place", async () => {
    let seen: string[] | undefined;
    await writeFilesTogether(dir, [{ name: "a.yaml", text: "a\n" }], {
      beforeRenames: async () => {
        seen = (await readdir(dir)).filter((name) => !name.startsWith("."));
      },
    });
    expect(seen).toEqual([]);
    expect(await readdir(dir)).toEqual(["a.yaml"]);
  });

  test("a failure while writing changes none of the files", async () => {
    await writeFile(path.join(dir, "a.yaml"), "old\n");
    const failing = [
      { name: "a.yaml", text: "new\n" },
      { name: "b.yaml", text: "b\n" },
      // Cannot be written: its directory does not exist in the staging directory.
      { name: "missing/c.yaml", text: "c\n" },
    ];
    await expect(writeFilesTogether(dir, failing)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await readdir(dir)).toEqual(["a.yaml"]);
    expect(await readFile(path.join(dir, "a.yaml"), "utf8")).toBe("old\n");
  });
});
