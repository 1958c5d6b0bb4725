import { redactUrl, scrubSecret } from "../../../src/partoo/errors.js";
import { PartooHttpError } from "../../../src/partoo/errors.js";
import {
  GOOGLE_ERROR_CODES,
  googleRefusalHint,
  googleRefusalOf,
  httpErrorHint,
  nameGoogleRefusal,
  partooMessage,
  wasNeverSent,
} from "../../../src/partoo/messages.js";

describe("Partoo's error messages", () => {
  test("are read from error or errors, string or nested", () => {
    expect(partooMessage({ error: { json: "Resource not found" } })).toBe("Resource not found");
    expect(partooMessage({ errors: { json: "Unsupported media type" } })).toBe(
      "Unsupported media type",
    );
    expect(partooMessage({ error: { authentication: "User not authenticated" } })).toBe(
      "User not authenticated",
    );
    expect(partooMessage({ error: "Service unavailable" })).toBe("Service unavailable");
  });

  test("nested field errors become dotted paths, all on one line", () => {
    const message = partooMessage({
      error: {
        json: { "0": { urls: { "1": { id: ["Unknown link id 9."] } }, gmb_id: ["Bad\ntype."] } },
      },
    });
    expect(message).toBe("0.urls.1.id: Unknown link id 9.; 0.gmb_id: Bad type.");
  });

  test("a body without Partoo's error shape gives no message", () => {
    expect(partooMessage("<html>502</html>")).toBeUndefined();
    expect(partooMessage({ status: "error" })).toBeUndefined();
    expect(partooMessage({ error: {} })).toBeUndefined();
  });

  test("hints say what to do for each status", () => {
    expect(httpErrorHint(401, { method: "GET" })).toMatch(/check PARTOO_API_KEY/);
    expect(httpErrorHint(403, { method: "GET", address: "c-paris-01" })).toMatch(
      /set business_id in the store file/,
    );
    expect(httpErrorHint(404, { method: "GET", address: "c-paris-01" })).toBe(
      "no business with code paris-01; check the code or set business_id",
    );
    expect(httpErrorHint(404, { method: "GET", address: "5409c35a" })).toMatch(
      /no business with id 5409c35a/,
    );
    expect(httpErrorHint(415, { method: "POST" })).toMatch(/Content-Type/);
  });

  test("URLs lose credentials and secret-looking query values", () => {
    expect(redactUrl("https://user:pw@api.example/v2/x?api_key=k&page=2")).toBe(
      "https://api.example/v2/x?api_key=REDACTED&page=2",
    );
  });

  test("the key is scrubbed from any text", () => {
    expect(scrubSecret("bad key abcd1234 given", "abcd1234")).toBe("bad key [REDACTED] given");
  });

  test("only connection-phase failures count as never sent", () => {
    expect(wasNeverSent("ECONNREFUSED")).toBe(true);
    expect(wasNeverSent("UND_ERR_CONNECT_TIMEOUT")).toBe(true);
    expect(wasNeverSent("ECONNRESET")).toBe(false);
    expect(wasNeverSent("UND_ERR_HEADERS_TIMEOUT")).toBe(false);
    expect(wasNeverSent(undefined)).toBe(false);
  });
});

describe("Google's refusals in a 400", () => {
  const body = (message: string) => ({ error: { json: { 0: { gmb_id: [message] } } } });
  const info = {
    method: "POST",
    url: "https://api.example/v2/business/c-lyon-02/place_action_links",
    path: "/business/c-lyon-02/place_action_links",
    address: "c-lyon-02",
  };
  const refused = (message: string) =>
    new PartooHttpError("Partoo POST …: 400 …", {
      request: info,
      response: { status: 400, body: body(message) },
    });

  test("every documented code is recognized, whatever the words around it", () => {
    for (const code of GOOGLE_ERROR_CODES) {
      expect(googleRefusalOf(body(`Google said ${code}.`))).toEqual({ code });
      expect(googleRefusalOf({ errors: { json: `${code}` } })).toEqual({ code });
    }
    expect(GOOGLE_ERROR_CODES).toEqual(
      expect.arrayContaining(["INVALID_LOCATION_CATEGORY", "TOO_MANY_VALUES", "INVALID_URL"]),
    );
  });

  test("a code inside a longer word, or no code, is no refusal of Google's", () => {
    expect(googleRefusalOf(body("NOT_INVALID_URL_AT_ALL"))).toBeUndefined();
    expect(googleRefusalOf(body("Not a valid URL."))).toBeUndefined();
    expect(googleRefusalOf("INVALID_URL")).toBeUndefined();
  });

  test("the type is the one the message names among those sent, or the only one sent", () => {
    const text = "INVALID_LOCATION_CATEGORY for FOOD_DELIVERY";
    expect(googleRefusalOf(body(text), ["SHOP_ONLINE", "FOOD_DELIVERY"])).toEqual({
      code: "INVALID_LOCATION_CATEGORY",
      type: "FOOD_DELIVERY",
    });
    expect(googleRefusalOf(body("TOO_MANY_VALUES"), ["APPOINTMENT"])).toEqual({
      code: "TOO_MANY_VALUES",
      type: "APPOINTMENT",
    });
    expect(googleRefusalOf(body("TOO_MANY_VALUES"), ["APPOINTMENT", "SHOP_ONLINE"])).toEqual({
      code: "TOO_MANY_VALUES",
    });
  });

  test("the failure names the code, the type and the store file in one line", () => {
    const named = nameGoogleRefusal(refused("INVALID_LOCATION_CATEGORY: FOOD_DELIVERY\nrefused"), {
      types: ["SHOP_ONLINE", "FOOD_DELIVERY"],
      file: "stores/lyon-02.yaml",
    }) as PartooHttpError;
    expect(named).toBeInstanceOf(PartooHttpError);
    expect(named.status).toBe(400);
    expect(named.message).toBe(
      "Partoo POST /business/c-lyon-02/place_action_links: 400 Google refused FOOD_DELIVERY: INVALID_LOCATION_CATEGORY: Google refuses FOOD_DELIVERY for this store's category; remove it from stores/lyon-02.yaml",
    );
  });

  test("other errors pass through unchanged", () => {
    const plain = refused("Duplicate URL.");
    expect(nameGoogleRefusal(plain, { types: ["SHOP_ONLINE"] })).toBe(plain);
    const other = new Error("boom");
    expect(nameGoogleRefusal(other, { types: [] })).toBe(other);
  });

  test("without a store file the hint still says what to do", () => {
    expect(googleRefusalHint({ code: "SCALABLE_DEEP_LINK_INVALID_MULTIPLICITY" })).toBe(
      "SCALABLE_DEEP_LINK_INVALID_MULTIPLICITY: Google allows one link per domain in one of the types sent; keep one link per host in the store file",
    );
  });
});
