import { acceptStore } from "../../../src/accept/accept-store.js";
import type { LiveLink, LiveLinks, StoreRecord } from "../../../src/core/model.js";
import { parseStoreText } from "../../../src/files/parse-store.js";

const S = "SHOP_ONLINE";
const T = "FOOD_TAKEOUT";
const shop = (path: string) => `https://shop.example.com/paris-01${path}`;

const FILE = `# yaml-language-server: $schema=../schemas/store.schema.json
code: paris-01                          # Partoo store code
links:
  # the web shop
  SHOP_ONLINE:
    - url: ${shop("")}   # the main page
      preferred: true
    # gifts, for the holidays
    - ${shop("/gifts")}   # shorthand

  FOOD_TAKEOUT: []                       # managed and kept empty
`;

let nextId = 1;
function link(url: string, preferred = false, editable = true): LiveLink {
  return { id: nextId++, url, preferred, editable };
}

function accept(text: string, live: LiveLinks, record?: StoreRecord) {
  const parsed = parseStoreText(text, "stores/paris-01.yaml", "paris-01");
  if (parsed.store === undefined) throw new Error(JSON.stringify(parsed.issues));
  const result = acceptStore({ text, desired: parsed.store, record, live });
  const after = parseStoreText(result.text, "stores/paris-01.yaml", "paris-01");
  expect(after.issues.filter((issue) => issue.severity === "error")).toEqual([]);
  return { ...result, after: after.store! };
}

describe("acceptStore", () => {
  test("leaves a file that matches live as it is, byte for byte", () => {
    const result = accept(FILE, { [S]: [link(shop(""), true), link(shop("/gifts"))] });
    expect(result.changes).toEqual([]);
    expect(result.text).toBe(FILE);
  });

  test("removes a link deleted live and keeps every comment and the rest of the file's bytes", () => {
    const result = accept(FILE, { [S]: [link(shop(""), true)] });
    expect(result.changes).toEqual([
      { type: S, op: "remove", url: shop("/gifts"), preferred: false },
    ]);
    expect(result.text).toContain("code: paris-01                          # Partoo store code");
    expect(result.text).toContain("# the web shop");
    expect(result.text).toContain("# the main page");
    expect(result.text).toContain(
      "FOOD_TAKEOUT: []                       # managed and kept empty",
    );
    expect(result.text).not.toContain("gifts");
    expect(result.text).toBe(
      FILE.replace(/ {4}# gifts, for the holidays\n.*# shorthand\n/, "").replace(
        `${shop("")}   # the main page`,
        `${shop("")} # the main page`,
      ),
    );
  });

  test("adds a link created live in the shorthand, and a preferred one in full", () => {
    const result = accept(FILE, {
      [S]: [link(shop(""), true), link(shop("/gifts")), link(shop("/sale"))],
      [T]: [link("https://eat.example.com/paris-01", true)],
    });
    expect(result.text).toContain(`    - ${shop("/sale")}\n`);
    expect(result.after.links[T]).toEqual([
      { url: "https://eat.example.com/paris-01", preferred: true },
    ]);
  });

  test("moves the preferred flag", () => {
    const result = accept(FILE, { [S]: [link(shop("")), link(shop("/gifts"), true)] });
    expect(result.after.links[S]).toEqual([
      { url: shop(""), preferred: false },
      { url: shop("/gifts"), preferred: true },
    ]);
  });

  test("CRLF", () => {
    const crlf = FILE.replace(/\n/g, "\r\n");
    const result = accept(crlf, { [S]: [link(shop(""), true)] });
    expect(result.text.replace(/\r\n/g, "")).not.toContain("\n");
  });

  test("keeps a file entry equal to a non-editable link, and never writes one", () => {
    const partner = "https://partner.example.com/paris-01";
    const text = `code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - ${partner}\n    - ${shop("")}\n`;
    const result = accept(text, {
      [S]: [link(partner, false, false), link("https://other.example.com/x", true, false)],
    });
    expect(result.changes).toEqual([{ type: S, op: "remove", url: shop(""), preferred: false }]);
    expect(result.text).toBe(`code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - ${partner}\n`);
  });

  test("a type emptied live becomes [] and a type the last apply managed comes back with its live list", () => {
    const text = `code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - ${shop("")}\n# the end\n`;
    const record: StoreRecord = {
      address: "c-paris-01",
      hash: "x",
      links: { [S]: [{ id: 1, url: shop(""), preferred: false }], [T]: [] },
    };
    const result = accept(text, { [T]: [link("https://eat.example.com/paris-01")] }, record);
    expect(result.after.links).toEqual({
      [S]: [],
      [T]: [{ url: "https://eat.example.com/paris-01", preferred: false }],
    });
    expect(result.text).toBe(
      "code: paris-01\nlinks:\n  SHOP_ONLINE: []\n  FOOD_TAKEOUT:\n    - https://eat.example.com/paris-01\n# the end\n",
    );
  });

  test("keeps a list written at the key's indentation at that indentation", () => {
    const text = `code: paris-01\nlinks:\n  SHOP_ONLINE:\n  - ${shop("")}\n`;
    const result = accept(text, { [S]: [link(shop("")), link(shop("/sale"))] });
    expect(result.text).toBe(
      `code: paris-01\nlinks:\n  SHOP_ONLINE:\n  - ${shop("")}\n  - ${shop("/sale")}\n`,
    );
  });

  test("prints the whole document when links is a flow mapping, comments kept", () => {
    const text = `# top\ncode: paris-01 # the code\nlinks: {SHOP_ONLINE: [${shop("")}]}\n`;
    const result = accept(text, { [S]: [link(shop("/sale"), true)] });
    expect(result.text).toContain("# top");
    expect(result.text).toContain("# the code");
    expect(result.after.links[S]).toEqual([{ url: shop("/sale"), preferred: true }]);
  });

  test("keeps a byte order mark and quoted URLs", () => {
    const text = `\uFEFFcode: paris-01\nlinks:\n  SHOP_ONLINE:\n    - "${shop("")}"\n    - '${shop("/a")}'\n`;
    const result = accept(text, { [S]: [link(shop(""), true)] });
    expect(result.text).toBe(
      `\uFEFFcode: paris-01\nlinks:\n  SHOP_ONLINE:\n    - url: "${shop("")}"\n      preferred: true\n`,
    );
  });

  test("warns when live cannot be written as a file: a URL twice live", () => {
    const result = accept(FILE, {
      [S]: [link(shop(""), true), link(shop("/gifts")), link(shop("/gifts"))],
      [T]: [link("https://eat.example.com/paris-01")],
    });
    expect(result.warnings).toEqual([
      expect.stringMatching(/\(delete SHOP_ONLINE .*\/gifts\); apply will still send that$/),
    ]);
  });
});
