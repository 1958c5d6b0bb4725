import { redactUrl, scrubSecret } from "../../../src/partoo/errors.js";
import { httpErrorHint, partooMessage, wasNeverSent } from "../../../src/partoo/messages.js";

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
