import { createBreaker, UNREACHABLE_AFTER, WRONG_URL_AFTER } from "../../../src/partoo/breaker.js";
import { PartooHttpError, PartooStoppedError } from "../../../src/partoo/errors.js";

const BASE = "https://api.example/v2";
const store = { hasAddress: true };
const search = { hasAddress: false };

function httpError(status: number): () => PartooHttpError {
  return () =>
    new PartooHttpError(`Partoo GET /x: ${status}`, {
      request: { method: "GET", url: `${BASE}/x`, path: "/x" },
      response: { status, body: undefined },
    });
}

describe("the breaker stops the client when every store would fail alike", () => {
  test("a 401 trips it at once, with the request's own message and error as cause", () => {
    const breaker = createBreaker(BASE);
    const stopped = breaker.response(401, undefined, store, httpError(401));
    expect(stopped).toBeInstanceOf(PartooStoppedError);
    expect(stopped?.reason).toBe("key-refused");
    expect(stopped?.message).toBe("Partoo GET /x: 401");
    expect((stopped?.cause as PartooHttpError).status).toBe(401);
    expect(() => breaker.check()).toThrow(stopped!);
  });

  test("a 403 trips it only when it says authentication, not authorization", () => {
    const breaker = createBreaker(BASE);
    const roleBody = { error: { authorization: "Operation not allowed" } };
    expect(breaker.response(403, roleBody, store, httpError(403))).toBeUndefined();
    expect(() => breaker.check()).not.toThrow();
    const keyBody = { errors: { authentication: "User not authenticated" } };
    expect(breaker.response(403, keyBody, store, httpError(403))?.reason).toBe("key-refused");
  });

  test(`${WRONG_URL_AFTER} stores in a row answering 404 before any success mean a wrong URL`, () => {
    const breaker = createBreaker(BASE);
    for (let i = 1; i < WRONG_URL_AFTER; i++) {
      expect(breaker.response(404, undefined, store, httpError(404))).toBeUndefined();
    }
    const stopped = breaker.response(404, undefined, store, httpError(404));
    expect(stopped?.reason).toBe("wrong-url");
    expect(stopped?.message).toBe(
      `Partoo at ${BASE}: every store answered 404 (the first ${WRONG_URL_AFTER} read): is the URL right? It ends in /v2, e.g. https://api.partoo.co/v2; check --api-url / PARTOO_API_URL`,
    );
  });

  test("404s after one success are ordinary missing stores, however many", () => {
    const breaker = createBreaker(BASE);
    breaker.response(200, {}, store, httpError(200));
    for (let i = 0; i < WRONG_URL_AFTER * 3; i++) {
      expect(breaker.response(404, undefined, store, httpError(404))).toBeUndefined();
    }
  });

  test("another answer between 404s starts the count again", () => {
    const breaker = createBreaker(BASE);
    for (let round = 0; round < 3; round++) {
      for (let i = 1; i < WRONG_URL_AFTER; i++)
        breaker.response(404, undefined, store, httpError(404));
      expect(breaker.response(400, undefined, store, httpError(400))).toBeUndefined();
    }
    expect(breaker.stopped).toBeUndefined();
  });

  test("the business search answering 404 means a wrong URL at once", () => {
    const breaker = createBreaker(BASE);
    expect(breaker.response(404, undefined, search, httpError(404))?.message).toMatch(
      /^Partoo at https:\/\/api\.example\/v2: the business search answered 404: is the URL right\?/,
    );
  });

  test(`${UNREACHABLE_AFTER} connection failures before any answer mean unreachable`, () => {
    const breaker = createBreaker(BASE);
    expect(breaker.reached).toBe(false);
    for (let i = 1; i < UNREACHABLE_AFTER; i++) {
      expect(breaker.connectFailure("ECONNREFUSED", new Error("refused"))).toBeUndefined();
    }
    const stopped = breaker.connectFailure("ECONNREFUSED", new Error("refused"));
    expect(stopped?.reason).toBe("unreachable");
    expect(stopped?.message).toBe(
      `cannot reach Partoo at ${BASE} (ECONNREFUSED); check --api-url / PARTOO_API_URL, and the network`,
    );
  });

  test("once Partoo has answered, connection failures are retried per request, never a stop", () => {
    const breaker = createBreaker(BASE);
    breaker.response(503, undefined, store, httpError(503));
    expect(breaker.reached).toBe(true);
    for (let i = 0; i < UNREACHABLE_AFTER * 3; i++) {
      expect(breaker.connectFailure("ECONNREFUSED", new Error("refused"))).toBeUndefined();
    }
  });

  test("once tripped, it keeps its first error", () => {
    const breaker = createBreaker(BASE);
    const first = breaker.response(401, undefined, store, httpError(401));
    breaker.response(404, undefined, search, httpError(404));
    expect(breaker.stopped).toBe(first);
  });
});
