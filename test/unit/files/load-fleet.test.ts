import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatIssue, loadFleet, loadStores } from "../../../src/files/index.js";

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "partoo-links-fleet-"));
  mkdirSync(path.join(root, "stores"));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const FLEET = "defaults:\n  links:\n    FOOD_ORDERING:\n      - https://order.example.com/{code}\n";

function write(name: string, text: string): void {
  writeFileSync(path.join(root, name), text);
}

describe("loadFleet", () => {
  test("no default fleet file means no fleet, and no error", async () => {
    expect(await loadFleet(undefined, root)).toEqual({ issues: [] });
  });

  test("a fleet file that --config names must exist and be a file", async () => {
    const missing = await loadFleet("other.yaml", root);
    expect(missing.issues.map(formatIssue)).toEqual(["other.yaml: no such file; check --config"]);
    const directory = await loadFleet("stores", root);
    expect(directory.issues.map(formatIssue)[0]).toMatch(
      /^stores: not a regular file; check --config/,
    );
  });

  test("reads partoo-links.yaml from the working directory, with a digest of its bytes", async () => {
    write("partoo-links.yaml", FLEET);
    const { loaded, issues } = await loadFleet(undefined, root);
    expect(issues).toEqual([]);
    expect(loaded?.fleet.file).toBe("partoo-links.yaml");
    expect(loaded?.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  test("a fleet file that is not UTF-8 is an error naming it", async () => {
    writeFileSync(path.join(root, "partoo-links.yaml"), Buffer.from([0xff, 0xfe, 0x41, 0]));
    const { loaded, issues } = await loadFleet(undefined, root);
    expect(loaded).toBeUndefined();
    expect(issues.map(formatIssue)).toEqual([
      "partoo-links.yaml: the file is UTF-16 text; save it as UTF-8",
    ]);
  });
});

describe("loadStores with a fleet file", () => {
  test("expands the stores, and a change of the fleet file changes every store's file hash", async () => {
    write("stores/a-01.yaml", "code: a-01\nlinks: {}\n");
    write("partoo-links.yaml", FLEET);
    const first = (await loadFleet(undefined, root)).loaded!;
    const before = await loadStores(path.join(root, "stores"), { displayRoot: root, fleet: first });
    expect(before.stores[0]?.store.links).toEqual({
      FOOD_ORDERING: [{ url: "https://order.example.com/a-01", preferred: false }],
    });
    write("partoo-links.yaml", FLEET.replace("order.", "orders."));
    const second = (await loadFleet(undefined, root)).loaded!;
    const after = await loadStores(path.join(root, "stores"), { displayRoot: root, fleet: second });
    expect(after.stores[0]?.fileHash).not.toBe(before.stores[0]?.fileHash);
    const unchanged = await loadStores(path.join(root, "stores"), {
      displayRoot: root,
      fleet: second,
      skipUnchanged: new Map([["a-01", { fileHash: after.stores[0]!.fileHash }]]),
    });
    expect(unchanged.skipped.map((entry) => entry.code)).toEqual(["a-01"]);
  });
});

describe("a fleet file that is a link", () => {
  test("pointing out of the repository is refused, and nothing of its target is read", async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), "partoo-links-outside-"));
    try {
      writeFileSync(path.join(outside, "secret"), "ghs_0123456789abcdefghijklmnopqrstuvwxyz\n");
      mkdirSync(path.join(root, ".git"));
      symlinkSync(path.join(outside, "secret"), path.join(root, "partoo-links.yaml"));
      const { loaded, issues } = await loadFleet(undefined, root);
      expect(loaded).toBeUndefined();
      expect(issues).toHaveLength(1);
      expect(issues[0]?.file).toBe("partoo-links.yaml");
      expect(JSON.stringify(issues)).not.toContain("ghs_");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
