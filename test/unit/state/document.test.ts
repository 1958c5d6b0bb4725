import { InputError } from "../../../src/errors.js";
import {
  mergeStoreChanges,
  parseStateDocument,
  serializeStateDocument,
} from "../../../src/state/document.js";
import type { StateDocument } from "../../../src/core/model.js";

const document: StateDocument = {
  version: 1,
  stores: {
    "lyon-01": { address: "c-lyon-01", hash: "h2", links: {} },
    "paris-01": {
      address: "c-paris-01",
      hash: "h1",
      links: { SHOP_ONLINE: [{ id: 3, url: "https://s.example.com/p", preferred: true }] },
      lastAttempt: { status: "ok", at: "2026-11-28T10:00:00.000Z" },
    },
  },
};

describe("the state document", () => {
  test("serializes stores sorted by code, one per line, and parses back to the same document", () => {
    const text = serializeStateDocument(document);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^"lyon-01":/);
    expect(lines[2]).toMatch(/^"paris-01":/);
    expect(parseStateDocument(text, "state.json")).toEqual(document);
  });

  test("an empty document serializes and parses", () => {
    const empty: StateDocument = { version: 1, stores: {} };
    expect(parseStateDocument(serializeStateDocument(empty), "s")).toEqual(empty);
  });

  test.each([
    ["not JSON", "{", /the state document is not valid JSON/],
    ["an array", "[]", /is not a JSON object/],
    ["an unknown version", '{"version":2,"stores":{}}', /version 2 is not supported/],
    ["no version", '{"stores":{}}', /version undefined is not supported/],
    [
      "a corrupt record",
      '{"version":1,"stores":{"a":{"address":7}}}',
      /the state document is corrupt at \/stores\/a\/address/,
    ],
  ])("%s is a clear error, never an empty state", (_name, text, message) => {
    expect(() => parseStateDocument(text, "file:state.json")).toThrow(InputError);
    expect(() => parseStateDocument(text, "file:state.json")).toThrow(message);
  });

  test("merging records and removes the stores mapped to null", () => {
    const merged = mergeStoreChanges(document, {
      "lyon-01": null,
      "nice-02": { address: "c-nice-02" },
    });
    expect(Object.keys(merged.stores).sort()).toEqual(["nice-02", "paris-01"]);
  });
});
