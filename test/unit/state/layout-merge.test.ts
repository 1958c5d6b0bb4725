import { createHash } from "node:crypto";
import type { StateDocument, StoreRecord } from "../../../src/core/model.js";
import { seededRandom } from "../../../src/emulator/faults.js";
import {
  encodeStoreChanges,
  mergeStoreChanges,
  parseStateDocument,
  serializeStateDocument,
} from "../../../src/state/document.js";
import {
  LayoutMerger,
  LayoutMismatchError,
  mergeLayoutBytes,
} from "../../../src/state/layout-merge.js";

type Changes = Record<string, StoreRecord | null>;

function applied(code: string, id: number): StoreRecord {
  return {
    address: `c-${code}`,
    hash: "a".repeat(64),
    links: {
      SHOP_ONLINE: [{ id, url: `https://shop.example.com/${code}/é`, preferred: true }],
    },
    appliedAt: "2026-11-28T10:00:00.000Z",
    lastAttempt: { status: "ok", at: "2026-11-28T10:00:00.000Z" },
  };
}

function failed(code: string): StoreRecord {
  return {
    address: `c-${code}`,
    lastAttempt: {
      status: "failed",
      at: "2026-11-28T10:00:00.000Z",
      errorClass: "http-500",
      message: 'HTTP 500, a "quote" and a \\',
    },
  };
}

/** The text with its checksum recomputed, as if partoo-links had written it. */
function withChecksum(text: string): string {
  const body = text.slice(0, text.lastIndexOf(',\n"checksum"'));
  const sum = createHash("sha256").update(body).digest("hex");
  return `${body},\n"checksum":"${sum}"}\n`;
}

function documentOf(stores: Record<string, StoreRecord>): Buffer {
  return Buffer.from(serializeStateDocument({ version: 2, stores }));
}

/** What a save wrote before merges existed: the whole document, serialized anew. */
function serializedAnew(bytes: Buffer, changes: Changes): string {
  const read = parseStateDocument(bytes, "test");
  return serializeStateDocument(mergeStoreChanges(read, changes));
}

/** Feeds `input` to a merger in chunks of `size` bytes. */
function mergeInChunks(input: Buffer, changes: Changes, size: number): Buffer {
  const merger = new LayoutMerger(encodeStoreChanges(changes), input.length);
  const out: Buffer[] = [];
  for (let at = 0; at < input.length; at += size) {
    // A copy per chunk, as a file read gives them.
    out.push(...merger.push(Buffer.from(input.subarray(at, at + size))));
  }
  out.push(...merger.end());
  return Buffer.concat(out);
}

describe("merging changes into a document line by line", () => {
  const base = documentOf({
    "b-01": applied("b-01", 1),
    "d-01": failed("d-01"),
    "f-01": applied("f-01", 3),
  });

  test.each<[string, Changes]>([
    ["a replaced store", { "b-01": applied("b-01", 9) }],
    [
      "stores inserted before, between and after",
      { "a-01": applied("a-01", 4), "c-01": failed("c-01"), "z-01": applied("z-01", 5) },
    ],
    ["a removed store and its links", { "b-01": null, "f-01": null }],
    ["every store removed", { "b-01": null, "d-01": null, "f-01": null }],
    ["a removal of a store it does not hold", { "x-01": null }],
    ["an applied store that now failed", { "f-01": failed("f-01") }],
    ["a failed store now applied", { "d-01": applied("d-01", 7) }],
  ])("writes %s exactly as a whole new serialization would", (_name, changes) => {
    const merged = mergeLayoutBytes(base, encodeStoreChanges(changes));
    expect(merged.bytes.toString()).toBe(serializedAnew(base, changes));
  });

  test("keeps the stored links of a record written without them", () => {
    const read = parseStateDocument(base, "test");
    // A drift check rewrites the record as read: its links were never loaded.
    const { links: _unused, ...withoutLinks } = applied("b-01", 1);
    const changes = {
      "b-01": { ...withoutLinks, drift: { checkedAt: "2026-11-29T00:00:00.000Z", drifted: true } },
    };
    const merged = mergeLayoutBytes(base, encodeStoreChanges(changes)).bytes;
    expect(merged.toString()).toBe(serializeStateDocument(mergeStoreChanges(read, changes)));
    expect(merged.toString()).toContain('"b-01":{"SHOP_ONLINE":[{"id":1');
  });

  test("gives the same bytes whatever the chunks the input comes in, lines split anywhere", () => {
    const changes = { "c-01": applied("c-01", 8), "d-01": null };
    const expected = serializedAnew(base, changes);
    for (const size of [1, 2, 3, 7, 64, 1000, base.length]) {
      expect(mergeInChunks(base, changes, size).toString()).toBe(expected);
    }
  });

  test("merges random changes into a random document as a whole serialization would", () => {
    const random = seededRandom(18);
    for (let round = 0; round < 40; round++) {
      const stores: Record<string, StoreRecord> = {};
      const codes = Array.from({ length: 60 }, (_, i) => `s-${String(i).padStart(3, "0")}`);
      for (const code of codes) {
        if (random() < 0.5) stores[code] = random() < 0.7 ? applied(code, round) : failed(code);
      }
      const input = documentOf(stores);
      const changes: Changes = {};
      for (const code of codes) {
        const roll = random();
        if (roll < 0.1) changes[code] = null;
        else if (roll < 0.2) changes[code] = applied(code, 1000 + round);
        else if (roll < 0.25) changes[code] = failed(code);
      }
      const size = 1 + Math.floor(random() * 300);
      expect(mergeInChunks(input, changes, size).toString()).toBe(serializedAnew(input, changes));
    }
  });

  test("says when nothing changed", () => {
    expect(mergeLayoutBytes(base, encodeStoreChanges({ "b-01": applied("b-01", 1) })).changed).toBe(
      false,
    );
    expect(mergeLayoutBytes(base, encodeStoreChanges({ "x-01": null })).changed).toBe(false);
    expect(mergeLayoutBytes(base, encodeStoreChanges({ "b-01": applied("b-01", 2) })).changed).toBe(
      true,
    );
    expect(mergeLayoutBytes(base, encodeStoreChanges({ "d-01": null })).changed).toBe(true);
  });

  test("merges into an empty document", () => {
    const empty = documentOf({});
    const changes = { "a-01": applied("a-01", 1) };
    expect(mergeLayoutBytes(empty, encodeStoreChanges(changes)).bytes.toString()).toBe(
      serializedAnew(empty, changes),
    );
  });

  test.each([
    [
      "a byte changed, the checksum left as it was",
      (text: string) => text.replace('"id":3', '"id":4'),
    ],
    ["cut short", (text: string) => text.slice(0, text.length - 10)],
    ["text after the checksum", (text: string) => `${text}{}\n`],
    ["plain JSON", (text: string) => JSON.stringify(JSON.parse(text), null, 2)],
    ["entries out of order", (text: string) => withChecksum(text.replace('"b-01"', '"zz-01"'))],
  ])("refuses an input that is not a document as written (%s), before its end", (_name, edit) => {
    const input = Buffer.from(edit(base.toString()));
    expect(() => mergeLayoutBytes(input, encodeStoreChanges({ "c-01": failed("c-01") }))).toThrow(
      LayoutMismatchError,
    );
  });

  test("refuses to write a record that does not match the schema", () => {
    const bad = { address: "" } as StoreRecord;
    expect(() => encodeStoreChanges({ "a-01": bad })).toThrow(
      /refusing to write an invalid state record for store a-01/,
    );
  });

  test("writes a document that reads back through the fast path", () => {
    const changes = { "c-01": applied("c-01", 8) };
    const merged = mergeLayoutBytes(base, encodeStoreChanges(changes)).bytes;
    const read: StateDocument = parseStateDocument(merged, "test");
    expect(Object.keys(read.stores)).toEqual(["b-01", "c-01", "d-01", "f-01"]);
    expect(read.stores["c-01"]!.links).toBeUndefined();
  });
});
