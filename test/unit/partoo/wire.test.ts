import {
  ALL_STATUSES_FILTER,
  BUSINESS_STATUSES,
  ROUTES,
  SET_LINKS_BODY_KEY,
  SET_LINKS_BODY_SHAPE,
  WireShapeError,
  checkSearchComplete,
  searchQuery,
  setLinksBody,
  setLinksBodyList,
  toLiveLinks,
  toSearchPage,
} from "../../../src/partoo/wire.js";

describe("Partoo's shapes", () => {
  test("live links map to the model, keeping ids, preference and editability", () => {
    const live = toLiveLinks({
      place_action_links: [
        {
          gmb_id: "SHOP_ONLINE",
          urls: [
            { id: 3, value: "https://a.example/x", is_preferred: true, is_editable: true },
            { id: 4, value: "https://a.example/y", is_preferred: false, is_editable: false },
          ],
        },
      ],
    });
    expect(live).toEqual({
      SHOP_ONLINE: [
        { id: 3, url: "https://a.example/x", preferred: true, editable: true },
        { id: 4, url: "https://a.example/y", preferred: false, editable: false },
      ],
    });
  });

  test("a type with urls: [] reads the same as an absent type", () => {
    const withEmpty = toLiveLinks({
      place_action_links: [{ gmb_id: "FOOD_TAKEOUT", urls: [] }, { gmb_id: "APPOINTMENT" }],
    });
    expect(withEmpty).toEqual(toLiveLinks({ place_action_links: [] }));
    expect(withEmpty).toEqual({});
  });

  test("a type listed twice is merged", () => {
    const url = (id: number) => ({
      id,
      value: `https://a.example/${id}`,
      is_preferred: false,
      is_editable: true,
    });
    const live = toLiveLinks({
      place_action_links: [
        { gmb_id: "SHOP_ONLINE", urls: [url(1)] },
        { gmb_id: "SHOP_ONLINE", urls: [url(2)] },
      ],
    });
    expect(live["SHOP_ONLINE"]?.map((link) => link.id)).toEqual([1, 2]);
  });

  test("a response in another shape names the field that is wrong", () => {
    expect(() => toLiveLinks({})).toThrow(new WireShapeError("place_action_links", "a list"));
    expect(() =>
      toLiveLinks({
        place_action_links: [{ gmb_id: "X", urls: [{ id: "7", value: "https://a" }] }],
      }),
    ).toThrow("place_action_links[0].urls[0].id: expected an integer");
  });

  test("the POST body carries ids only for kept links, in the assumed shape", () => {
    const body = setLinksBody([
      {
        type: "SHOP_ONLINE",
        urls: [
          { id: 3, value: "https://a.example/x", is_preferred: true },
          { value: "https://a.example/new", is_preferred: false },
        ],
      },
      { type: "FOOD_TAKEOUT", urls: [] },
    ]);
    const list = [
      {
        gmb_id: "SHOP_ONLINE",
        urls: [
          { id: 3, value: "https://a.example/x", is_preferred: true },
          { value: "https://a.example/new", is_preferred: false },
        ],
      },
      { gmb_id: "FOOD_TAKEOUT", urls: [] },
    ];
    expect(body).toEqual(SET_LINKS_BODY_SHAPE === "array" ? list : { [SET_LINKS_BODY_KEY]: list });
    expect(setLinksBodyList(body)).toEqual(list);
    expect(setLinksBodyList({ something: list })).toBeUndefined();
  });

  test("routes encode the whole business address as one path segment", () => {
    expect(ROUTES.links("c-paris-01")).toBe("/business/c-paris-01/place_action_links");
    expect(ROUTES.links("c-a/b c?d")).toBe("/business/c-a%2Fb%20c%3Fd/place_action_links");
  });

  test("the search query asks for the largest page and every given status as one comma-separated value", () => {
    const query = new URLSearchParams(
      searchQuery({ code: "paris-01", statuses: ["open", "closed"], page: 2 }),
    );
    expect(query.get("page")).toBe("2");
    expect(query.get("per_page")).toBe("100");
    expect(query.get("code")).toBe("paris-01");
    expect(query.getAll("status")).toEqual(["open,closed"]);
  });

  test("a full inventory names every status in one parameter", () => {
    expect(ALL_STATUSES_FILTER).toBe("open,closed,opening_soon,temporarily_closed");
    const query = searchQuery({ statuses: BUSINESS_STATUSES, page: 1 });
    expect(query).toContain("status=open%2Cclosed%2Copening_soon%2Ctemporarily_closed");
  });

  test("a search whose pages list fewer businesses than its count is an error, not a partial fleet", () => {
    expect(() => checkSearchComplete(6, 6, 1)).not.toThrow();
    expect(() => checkSearchComplete(5, 6, 2)).toThrow(
      /the search counts 6 businesses but its 2 pages list only 5; the inventory is incomplete/,
    );
  });

  test("live types with names of Object.prototype are plain keys", () => {
    const live = toLiveLinks({
      place_action_links: ["__proto__", "constructor", "toString", "SOLOPRENEUR_APPOINTMENT"].map(
        (gmb_id, i) => ({
          gmb_id,
          urls: [
            { id: i + 1, value: `https://x.example/${i}`, is_preferred: false, is_editable: true },
          ],
        }),
      ),
    });
    expect(Object.keys(live).sort()).toEqual([
      "SOLOPRENEUR_APPOINTMENT",
      "__proto__",
      "constructor",
      "toString",
    ]);
    expect(live["__proto__"]).toEqual([
      { id: 1, url: "https://x.example/0", preferred: false, editable: true },
    ]);
    expect(Object.getPrototypeOf(live)).toBeNull();
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  test("search pages map to plain objects, their businesses with only the known fields", () => {
    expect(
      toSearchPage({
        page: 1,
        max_page: 1,
        count: 1,
        businesses: [{ id: "abc", code: null, name: "N", status: "open", extra: 1 }],
      }).businesses,
    ).toEqual([{ id: "abc", code: null, name: "N", status: "open" }]);
    expect(
      toSearchPage({ page: 1, max_page: 2, count: 101, businesses: [{ id: "x", code: "c" }] }),
    ).toEqual({
      page: 1,
      maxPage: 2,
      count: 101,
      businesses: [{ id: "x", code: "c", name: "", status: "" }],
    });
    expect(() => toSearchPage({ page: 1, businesses: [] })).toThrow(
      "max_page: expected a whole number",
    );
  });
});
