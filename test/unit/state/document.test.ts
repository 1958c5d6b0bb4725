import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { InputError } from "../../../src/errors.js";
import {
  mergeStoreChanges,
  parseStateDocument,
  parseWholeStateDocument,
  serializeStateDocument,
  withLinks,
} from "../../../src/state/document.js";
import type { StateDocument, StoreRecord } from "../../../src/core/model.js";

const document: StateDocument = {
  version: 2,
  stores: {
    "lyon-01": { address: "c-lyon-01", hash: "h2", links: {} },
    "nice-01": { address: "c-nice-01", lastAttempt: failedAttempt() },
    "paris-01": {
      address: "c-paris-01",
      hash: "h1",
      links: {
        SHOP_ONLINE: [{ id: 3, url: "https://s.example.com/p", preferred: true }],
        // Multi-byte characters: the reader slices bytes, not characters.
        APPOINTMENT: [{ id: 4, url: "https://réserver.example.com/é-ü/日本", preferred: false }],
      },
      lastAttempt: { status: "ok", at: "2026-11-28T10:00:00.000Z" },
    },
  },
};

function failedAttempt() {
  return {
    status: "failed" as const,
    at: "2026-11-28T10:00:00.000Z",
    errorClass: "PartooHttpError",
    message: 'HTTP 500 on "links", with a \\ and a newline\nin it',
  };
}

/** Whether a record came without its links (the fast path), as plain data: no accessor anywhere. */
function deferred(record: StoreRecord | undefined): boolean {
  const descriptors = Object.values(Object.getOwnPropertyDescriptors(record));
  expect(descriptors.every((descriptor) => descriptor.get === undefined)).toBe(true);
  return !Object.hasOwn(record!, "links");
}

/** The text with its checksum recomputed, as if partoo-links had written it. */
function withChecksum(text: string): string {
  const body = text.slice(0, text.lastIndexOf(',\n"checksum"'));
  const sum = createHash("sha256").update(body).digest("hex");
  return `${body},\n"checksum":"${sum}"}\n`;
}

describe("the state document", () => {
  test("is written as the records, then the links, one store per line, then a checksum", () => {
    const lines = serializeStateDocument(document).trimEnd().split("\n");
    expect(lines[0]).toBe('{"version":2,"stores":{');
    expect(lines.slice(1, 4).map((line) => line.slice(0, line.indexOf(":")))).toEqual([
      '"lyon-01"',
      '"nice-01"',
      '"paris-01"',
    ]);
    expect(lines.slice(4, 6)).toEqual(["},", '"links":{']);
    expect(lines.slice(6, 8).map((line) => line.slice(0, line.indexOf(":")))).toEqual([
      '"lyon-01"',
      '"paris-01"',
    ]);
    expect(lines[8]).toBe("},");
    expect(lines[9]).toMatch(/^"checksum":"[0-9a-f]{64}"\}$/);
    expect(lines).toHaveLength(10);
  });

  test("reads back what it wrote, as text or as bytes", () => {
    const text = serializeStateDocument(document);
    expect(parseWholeStateDocument(text, "state.json")).toEqual(document);
    expect(parseWholeStateDocument(Buffer.from(text), "state.json")).toEqual(document);
  });

  test("reads the links of a store only when loaded, and writes unloaded ones back as they were", () => {
    const text = serializeStateDocument(document);
    const read = parseStateDocument(Buffer.from(text), "state.json");
    expect(Object.values(read.stores).map(deferred)).toEqual([true, true, true]);
    expect(read.stores["paris-01"]!.links).toBeUndefined();
    expect(serializeStateDocument(read)).toBe(text);
    const loaded = withLinks(read, ["paris-01", "nice-01", "unknown-01"]);
    expect(loaded.stores["paris-01"]!.links).toEqual(document.stores["paris-01"]!.links);
    expect(loaded.stores["nice-01"]!.links).toBeUndefined();
    expect(deferred(loaded.stores["lyon-01"])).toBe(true);
    // Plain data: the document read is left as it was.
    expect(deferred(read.stores["paris-01"])).toBe(true);
    expect(serializeStateDocument(loaded)).toBe(text);
    expect(withLinks(loaded, ["paris-01"])).toBe(loaded);
  });

  test("finds the links of every store, whatever the order of their codes", () => {
    const codes = ["A", "a", "a-b", "a.b", "a_b", "a0", "a9", "aa", "b", "Z-1", "0", "9.9"];
    for (let index = 0; index < 300; index++) codes.push(`s${(index * 7919) % 1000}-x`);
    const stores: Record<string, StoreRecord> = {};
    for (const [index, code] of codes.entries()) {
      stores[code] = {
        address: `c-${code}`,
        // Some stores have no links at all: their lookups must miss cleanly.
        ...(index % 5 === 0
          ? {}
          : {
              links: {
                SHOP_ONLINE: [{ id: index, url: `https://e.example.com/${code}`, preferred: true }],
              },
            }),
      };
    }
    const state: StateDocument = { version: 2, stores };
    const read = parseStateDocument(serializeStateDocument(state), "s");
    // One at a time, in an order unrelated to the file's: each read is a fresh search.
    for (const code of [...codes].reverse()) {
      expect(deferred(read.stores[code])).toBe(true);
      expect(withLinks(read, [code]).stores[code]!.links).toEqual(stores[code]!.links);
    }
  });

  test("a record copied, spread or given new links keeps the right links", () => {
    const read = parseStateDocument(serializeStateDocument(document), "state.json");
    // Spread without its links loaded (a drift check record): its stored links are kept.
    const spread = { ...read.stores["paris-01"]!, hash: "h9" };
    const replaced = { ...read.stores["lyon-01"]!, links: { SHOP_ONLINE: [] } };
    const next = mergeStoreChanges(read, { "paris-01": spread, "lyon-01": replaced });
    expect(parseWholeStateDocument(serializeStateDocument(next), "s")).toEqual({
      version: 2,
      stores: {
        "lyon-01": { address: "c-lyon-01", hash: "h2", links: { SHOP_ONLINE: [] } },
        "nice-01": document.stores["nice-01"],
        "paris-01": { ...document.stores["paris-01"], hash: "h9" },
      },
    });
  });

  test("a document edited by hand (the checksum no longer matches) is still read, in full", () => {
    const text = serializeStateDocument(document);
    const reformatted = JSON.stringify(JSON.parse(text), null, 2);
    const read = parseStateDocument(reformatted, "state.json");
    expect(read).toEqual(document);
    // Read in full: every record already holds its links.
    expect(read.stores["paris-01"]!.links).toEqual(document.stores["paris-01"]!.links);
    expect(withLinks(read, ["paris-01"])).toBe(read);
    const edited = text.replace('"hash":"h2"', '"hash":"h3"');
    expect(parseStateDocument(edited, "state.json").stores["lyon-01"]!.hash).toBe("h3");
    const minimal = '{"version":2,"stores":{"a":{"address":"c-a"}},"links":{"a":{}}}';
    expect(parseStateDocument(minimal, "s")).toEqual({
      version: 2,
      stores: { a: { address: "c-a", links: {} } },
    });
  });

  test("a version 1 document (links in the records) is read, and written back as version 2", () => {
    const version1 = JSON.stringify({
      version: 1,
      stores: {
        "lyon-01": { address: "c-lyon-01", hash: "h2", links: {} },
        "nice-01": { address: "c-nice-01", lastAttempt: failedAttempt() },
        "paris-01": { ...document.stores["paris-01"] },
      },
    });
    const read = parseStateDocument(version1, "state.json");
    expect(read).toEqual(document);
    expect(serializeStateDocument(read)).toBe(serializeStateDocument(document));
    expect(() =>
      parseStateDocument('{"version":1,"stores":{"__proto__":{"address":"c-x","links":{}}}}', "s"),
    ).toThrow(/corrupt/);
  });

  test("an empty document is written and read", () => {
    const empty: StateDocument = { version: 2, stores: {} };
    const text = serializeStateDocument(empty);
    expect(text).toMatch(/^\{"version":2,"stores":\{\n\n\},\n"links":\{\n\n\},\n"checksum":/);
    expect(parseStateDocument(text, "s")).toEqual(empty);
  });

  test.each([
    ["not JSON", "{", /the state document is not valid JSON/],
    ["an array", "[]", /is not a JSON object/],
    ["an unknown version", '{"version":3,"stores":{}}', /version 3 is not supported/],
    ["no version", '{"stores":{}}', /has no "version": it was not written by partoo-links/],
    [
      "a corrupt record",
      '{"version":1,"stores":{"a":{"address":7}}}',
      /the state document is corrupt at \/stores\/a\/address/,
    ],
    [
      "a corrupt link",
      '{"version":2,"stores":{"a":{"address":"c-a"}},"links":{"a":{"T":[{"id":"x"}]}}}',
      /the state document is corrupt at \/links\/a\/T\/0/,
    ],
    [
      "links of a store without a record",
      '{"version":2,"stores":{},"links":{"a":{}}}',
      /corrupt at \/links\/a: links of a store that has no record/,
    ],
    [
      "links of a store named like an Object property, without a record",
      '{"version":2,"stores":{},"links":{"constructor":{}}}',
      /corrupt at \/links\/constructor: links of a store that has no record/,
    ],
    [
      "a hand-edited attempt status",
      '{"version":2,"stores":{"a":{"address":"c-a","lastAttempt":{"status":"done","at":"x"}}}}',
      /corrupt at \/stores\/a\/lastAttempt\/status: is "done", expected "ok" or "failed"/,
    ],
    [
      "garbage over two lines",
      "ab\ncd",
      /^file:state\.json: the state document is not valid JSON \(unexpected character "a"\); restore it from a backup, or delete it to start over/,
    ],
    [
      "a syntax error on its third line",
      '{\n"version": 2,\n"stores": {,}\n}',
      /not valid JSON at line 3, column 12 \(expected property name or '}'\)/,
    ],
    [
      "a truncated document",
      serializeStateDocument(document).slice(0, 200),
      /the state document is not valid JSON/,
    ],
  ])("%s is a clear error, never an empty state", (_name, text, message) => {
    expect(() => parseStateDocument(text, "file:state.json")).toThrow(InputError);
    expect(() => parseStateDocument(text, "file:state.json")).toThrow(message);
    // One line, and never "restore it from git": .partoo/ is git-ignored.
    expect(() => parseStateDocument(text, "file:state.json")).not.toThrow(/\n|from git/);
  });

  test("a corrupt github: document is restored from its branch's history", () => {
    expect(() => parseStateDocument("{", "github:partoo-state (state.json at abc1234)")).toThrow(
      /restore an earlier version from the history of branch partoo-state \(git log origin\/partoo-state\), or delete the branch to start over/,
    );
  });

  test("links that are corrupt behind a matching checksum are a clear error when read", () => {
    const text = withChecksum(
      serializeStateDocument(document).replace('{"id":3,', '{"id":"three",'),
    );
    const read = parseStateDocument(text, "file:state.json");
    expect(deferred(read.stores["paris-01"])).toBe(true);
    expect(withLinks(read, ["lyon-01"]).stores["lyon-01"]!.links).toEqual({});
    expect(() => withLinks(read, ["paris-01"])).toThrow(InputError);
    expect(() => withLinks(read, ["paris-01"])).toThrow(
      /^file:state\.json: the state document is corrupt at \/links\/paris-01\/SHOP_ONLINE\/0\/id: is "three", expected integer; restore it from a backup, or delete it to start over \(the next apply reads every store live and sends only what differs\)$/,
    );
  });

  test.each([
    [
      "a bad address",
      { address: "" },
      /store x-1: \/address must NOT have fewer than 1 characters/,
    ],
    [
      "a bad link",
      { address: "c-x-1", links: { T: [{ id: 1.5, url: "u", preferred: true }] } },
      /store x-1: links: \/T\/0\/id must be integer/,
    ],
    ["an unknown key", { address: "c-x-1", extra: 1 }, /must NOT have additional properties/],
  ])("a record with %s is refused when written, never stored", (_name, record, message) => {
    const bad = { version: 2, stores: { "x-1": record } } as unknown as StateDocument;
    expect(() => serializeStateDocument(bad)).toThrow(message);
    const badCode = { version: 2, stores: { "../x": { address: "c-x" } } } as StateDocument;
    expect(() => serializeStateDocument(badCode)).toThrow(/store \.\.\/x: the code does not match/);
  });

  test.each([
    [
      "an address that is not a string",
      '"address":"c-paris-01"',
      '"address":42',
      /\/stores\/paris-01\/address: is 42, expected string/,
    ],
    [
      "a field the schema does not know",
      '"address":"c-paris-01"',
      '"address":"c-paris-01","admin":true',
      /\/stores\/paris-01: unknown field "admin"/,
    ],
    [
      "links smuggled into a record",
      '"address":"c-paris-01"',
      '"address":"c-paris-01","links":{}',
      /\/stores\/paris-01: unknown field "links"/,
    ],
    [
      "a failed attempt without its message",
      ',"message":"HTTP 500',
      ',"note":"HTTP 500',
      /\/stores\/nice-01\/lastAttempt/,
    ],
    [
      "a code that is not a store code",
      '"nice-01":{',
      '"__proto__":{',
      /the code "__proto__" does not match/,
    ],
  ])(
    "a record with %s is refused on the fast path too, checksum or not",
    (_name, from, to, message) => {
      const text = withChecksum(serializeStateDocument(document).replace(from, to));
      expect(() => parseStateDocument(text, "file:state.json")).toThrow(InputError);
      expect(() => parseStateDocument(text, "file:state.json")).toThrow(message);
    },
  );

  test("documents read apart keep apart: loading links of one never touches the other", () => {
    const text = serializeStateDocument(document);
    const one = parseStateDocument(text, "one");
    const other = parseStateDocument(
      serializeStateDocument(
        mergeStoreChanges(document, {
          "paris-01": { address: "c-paris-01", hash: "h7", links: {} },
        }),
      ),
      "other",
    );
    expect(withLinks(one, ["paris-01"]).stores["paris-01"]!.links).toEqual(
      document.stores["paris-01"]!.links,
    );
    expect(withLinks(other, ["paris-01"]).stores["paris-01"]!.links).toEqual({});
  });

  test("writes every field of a record that the schema knows", () => {
    const full: StoreRecord = {
      address: "5409c35a97bbc544d8e26737",
      hash: "h",
      fileHash: "f",
      links: { SHOP_ONLINE: [{ id: 1, url: "https://s.example.com/", preferred: true }] },
      commit: "0123456789abcdef0123456789abcdef01234567",
      dirty: true,
      appliedAt: "2026-11-28T09:00:00.000Z",
      lastAttempt: failedAttempt(),
      drift: { checkedAt: "2026-11-28T11:00:00.000Z", drifted: true },
    };
    const schema = JSON.parse(readFileSync("schemas/state.schema.json", "utf8"));
    expect(Object.keys(full).sort()).toEqual(
      [...Object.keys(schema.$defs.storeRecord.properties), "links"].sort(),
    );
    const state: StateDocument = { version: 2, stores: { "x-1": full } };
    const text = serializeStateDocument(state);
    expect(parseWholeStateDocument(text, "s")).toEqual(state);
    expect(parseStateDocument(JSON.stringify(JSON.parse(text)), "s")).toEqual(state);
  });

  test("merging records and removes the stores mapped to null", () => {
    const merged = mergeStoreChanges(document, {
      "lyon-01": null,
      "nice-02": { address: "c-nice-02" },
    });
    expect(Object.keys(merged.stores).sort()).toEqual(["nice-01", "nice-02", "paris-01"]);
  });
});
