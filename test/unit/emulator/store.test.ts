import { EmulatorStore } from "../../../src/emulator/store.js";
import { nestErrors } from "../../../src/emulator/check-write.js";
import type { TypeWrite } from "../../../src/core/model.js";
import { seed, seedBusiness } from "../../helpers/emulator.js";

/** A POST body as partoo-api.md documents it (the seed's bare array), built here, not by the client. */
function documentedBody(writes: readonly TypeWrite[]): unknown {
  return writes.map((write) => ({ gmb_id: write.type, urls: write.urls }));
}

function makeStore() {
  return new EmulatorStore(
    seed(
      seedBusiness("paris-01", {
        SHOP_ONLINE: [
          { id: 1, value: "https://shop.example/a", is_preferred: true },
          { id: 2, value: "https://shop.example/b" },
        ],
        FOOD_TAKEOUT: [{ id: 3, value: "https://partner.example/p", is_editable: false }],
      }),
      seedBusiness("lyon-02"),
    ),
  );
}

const write = (store: EmulatorStore, address: string, writes: TypeWrite[]) =>
  store.applyWrite(address, documentedBody(writes));

const urls = (store: EmulatorStore, address: string, type: string) =>
  store.links(address)?.find((entry) => entry.gmb_id === type)?.urls;

describe("the emulator's links", () => {
  test("a business is found by c-{code} and by id", () => {
    const store = makeStore();
    expect(store.business("c-paris-01")?.id).toBe("id-paris-01");
    expect(store.business("id-paris-01")?.code).toBe("paris-01");
    expect(store.has("c-nowhere")).toBe(false);
  });

  test("a POST creates links without id, updates those with id and deletes those left out", () => {
    const store = makeStore();
    const errors = write(store, "c-paris-01", [
      {
        type: "SHOP_ONLINE",
        urls: [
          { id: 2, value: "https://shop.example/b2", is_preferred: true },
          { value: "https://shop.example/new", is_preferred: false },
        ],
      },
    ]);
    expect(errors).toEqual([]);
    const links = urls(store, "c-paris-01", "SHOP_ONLINE");
    expect(links).toEqual([
      { id: 2, value: "https://shop.example/b2", is_preferred: true, is_editable: true },
      {
        id: expect.any(Number),
        value: "https://shop.example/new",
        is_preferred: false,
        is_editable: true,
      },
    ]);
    expect(links?.[1]?.id).toBeGreaterThan(3);
  });

  test("types absent from the body are untouched and urls: [] clears a type", () => {
    const store = makeStore();
    const takeoutBefore = urls(store, "c-paris-01", "FOOD_TAKEOUT");
    expect(write(store, "c-paris-01", [{ type: "SHOP_ONLINE", urls: [] }])).toEqual([]);
    expect(urls(store, "c-paris-01", "SHOP_ONLINE")).toBeUndefined();
    expect(urls(store, "c-paris-01", "FOOD_TAKEOUT")).toEqual(takeoutBefore);
  });

  test("empty types are shown with urls: [] when asked to", () => {
    const store = new EmulatorStore(seed(seedBusiness("x", { SHOP_ONLINE: [] })), {
      emptyTypes: "keep",
    });
    expect(store.links("c-x")).toEqual([{ gmb_id: "SHOP_ONLINE", urls: [] }]);
  });

  test("a non-editable link re-sent unchanged with its id is kept", () => {
    const store = makeStore();
    const errors = write(store, "c-paris-01", [
      {
        type: "FOOD_TAKEOUT",
        urls: [
          { id: 3, value: "https://partner.example/p", is_preferred: false },
          { value: "https://ours.example/t", is_preferred: true },
        ],
      },
    ]);
    expect(errors).toEqual([]);
    expect(urls(store, "c-paris-01", "FOOD_TAKEOUT")?.map((url) => url.id)).toContain(3);
  });

  test.each([
    ["left out", [] as TypeWrite["urls"], /not editable and cannot be deleted/],
    [
      "changed",
      [{ id: 3, value: "https://partner.example/other", is_preferred: false }],
      /not editable and cannot be changed/,
    ],
  ])("a non-editable link %s is refused and nothing changes", (_, sent, message) => {
    const store = makeStore();
    const before = store.links("c-paris-01");
    const errors = write(store, "c-paris-01", [{ type: "FOOD_TAKEOUT", urls: sent }]);
    expect(errors.map((error) => error.message).join()).toMatch(message);
    expect(store.links("c-paris-01")).toEqual(before);
  });

  test.each<[string, unknown, RegExp]>([
    ["an unknown type", [{ gmb_id: "TELEPORT", urls: [] }], /Unknown place action type TELEPORT/],
    [
      "two preferred links",
      [
        {
          gmb_id: "SHOP_ONLINE",
          urls: [
            { value: "https://a.example/1", is_preferred: true },
            { value: "https://a.example/2", is_preferred: true },
          ],
        },
      ],
      /More than one preferred link/,
    ],
    [
      "a duplicate URL",
      [
        {
          gmb_id: "SHOP_ONLINE",
          urls: [
            { id: 1, value: "https://a.example/1", is_preferred: false },
            { value: "https://a.example/1", is_preferred: false },
          ],
        },
      ],
      /Duplicate URL/,
    ],
    [
      "an unknown id",
      [
        {
          gmb_id: "SHOP_ONLINE",
          urls: [{ id: 999, value: "https://a.example", is_preferred: false }],
        },
      ],
      /Unknown link id 999/,
    ],
    [
      "an id of another type",
      [
        {
          gmb_id: "SHOP_ONLINE",
          urls: [{ id: 3, value: "https://partner.example/p", is_preferred: false }],
        },
      ],
      /Unknown link id 3/,
    ],
    [
      "a type twice",
      [
        { gmb_id: "SHOP_ONLINE", urls: [] },
        { gmb_id: "SHOP_ONLINE", urls: [] },
      ],
      /appears twice/,
    ],
    ["a string instead of the list", "SHOP_ONLINE", /Invalid input type/],
    [
      "a missing is_preferred",
      [{ gmb_id: "SHOP_ONLINE", urls: [{ value: "https://a.example" }] }],
      /is_preferred|required/,
    ],
    ["an unknown field", [{ gmb_id: "SHOP_ONLINE", urls: [], type: "x" }], /Unknown field/],
    [
      "a URL that is not one",
      [{ gmb_id: "SHOP_ONLINE", urls: [{ value: "shop", is_preferred: false }] }],
      /Not a valid URL/,
    ],
  ])("a body with %s is refused and nothing changes", (_, body, message) => {
    const store = makeStore();
    const before = store.links("c-paris-01");
    const errors = store.applyWrite("c-paris-01", body);
    expect(errors.map((error) => error.message).join(" ")).toMatch(message);
    expect(store.links("c-paris-01")).toEqual(before);
  });

  test("manual changes bypass validation, as an edit in Partoo would", () => {
    const store = makeStore();
    const id = store.addLink("c-lyon-02", "SHOP_ONLINE", {
      value: "https://manual.example",
      is_editable: false,
    });
    expect(urls(store, "c-lyon-02", "SHOP_ONLINE")).toEqual([
      { id, value: "https://manual.example", is_preferred: false, is_editable: false },
    ]);
    expect(store.removeLink(id)).toBe(true);
    expect(urls(store, "c-lyon-02", "SHOP_ONLINE")).toBeUndefined();
    store.setLinks("c-paris-01", []);
    expect(store.links("c-paris-01")).toEqual([]);
  });

  test("field errors nest as Partoo's do", () => {
    expect(
      nestErrors([
        { path: [0, "urls", 1, "id"], message: "Unknown link id 9." },
        { path: [0, "urls"], message: "Duplicate URL." },
      ]),
    ).toEqual({
      "0": { urls: { "1": { id: ["Unknown link id 9."] }, _schema: ["Duplicate URL."] } },
    });
  });
});
