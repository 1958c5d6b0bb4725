/**
 * A template edit in the fleet file, end to end: the CLI in-process in a temporary
 * repository whose root holds partoo-links.yaml, against the Partoo emulator on loopback.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { addBusinesses, startFleet, url, type Fleet } from "./apply-fleet.js";

let fleet: Fleet;

afterEach(async () => {
  await fleet?.close();
});

/** The ordering template on `domain`; the old one also lists each store's menu page. */
function fleetFile(domain: string, maxDeletedLinks: number, menu = false): string {
  return [
    "defaults:",
    "  links:",
    "    FOOD_ORDERING:",
    `      - url: https://${domain}/{code}`,
    "        preferred: true",
    ...(menu ? [`      - https://${domain}/{code}/menu`] : []),
    "caps:",
    `  max_deleted_links: ${maxDeletedLinks}`,
    "",
  ].join("\n");
}

const inheriting = ["s-01", "s-02", "s-03", "s-04"];
const own = ["s-05", "s-06"];

async function appliedFleet(): Promise<void> {
  fleet = await startFleet();
  addBusinesses(fleet, [...inheriting, ...own]);
  await writeFile(path.join(fleet.dir, "partoo-links.yaml"), fleetFile("old.example.com", 2, true));
  for (const code of inheriting) await fleet.writeStore(code, { SHOP_ONLINE: [url(code)] });
  for (const code of own) {
    await fleet.writeStore(code, {
      SHOP_ONLINE: [url(code)],
      FOOD_ORDERING: [`https://own.example.com/${code}`],
    });
  }
  const first = await fleet.run(["apply"]);
  expect(first.code).toBe(0);
  fleet.emu.emulator.clearRequests();
}

describe("editing one template line of the fleet file", () => {
  test("plans, groups, caps and applies exactly the stores that inherit it", async () => {
    await appliedFleet();
    await writeFile(path.join(fleet.dir, "partoo-links.yaml"), fleetFile("new.example.com", 2));

    const text = await fleet.run(["plan"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      "Plan: 4 stores to change: 0 links to create, 4 to update, 4 to delete",
    );
    expect(text.stdout).toContain(
      "~ https://old.example.com/s-01 → https://new.example.com/s-01 (preferred) (from partoo-links.yaml:3)",
    );
    expect(text.stdout).not.toContain("s-05");
    expect(text.stdout).toContain(
      "this change deletes 4 links; the sync's --max-deleted-links is 2 (the fleet file's caps), so it will stop before sending anything",
    );

    const markdown = await fleet.run(["plan", "--format", "markdown"]);
    expect(markdown.stdout).toContain(
      "- `FOOD_ORDERING` from partoo-links.yaml\\:3: 4 stores, 4 updated, 4 deleted",
    );
    expect(markdown.stdout).not.toContain("<b>s-01</b>");

    const json = JSON.parse((await fleet.run(["plan", "--format", "json"])).stdout) as {
      stores: { changes: { source?: string }[] }[];
      capWarnings?: string[];
    };
    expect(json.stores.flatMap((store) => store.changes.map((change) => change.source))).toEqual(
      Array(8).fill("partoo-links.yaml:3"),
    );
    expect(json.capWarnings).toHaveLength(1);

    // The fleet file's cap refuses before any request.
    const refused = await fleet.run(["apply"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("more than --max-deleted-links 2 (the fleet file's caps)");
    expect(fleet.requests()).toEqual([]);

    // A flag overrides it; exactly the inheriting stores are written.
    const applied = await fleet.run(["apply", "--max-deleted-links", "10"]);
    expect(applied.code).toBe(0);
    expect(fleet.postedCodes().sort()).toEqual(inheriting);
    expect(fleet.live("s-01")).toContainEqual(
      expect.objectContaining({
        gmb_id: "FOOD_ORDERING",
        urls: [expect.objectContaining({ value: "https://new.example.com/s-01" })],
      }),
    );
  });
});
