import { readFileSync } from "node:fs";
import path from "node:path";
import { Agent } from "undici";
import { createLinkChecker, type LinkCheckerOptions } from "../../../src/links/checker.js";
import {
  answer,
  closedPort,
  neverAnswer,
  startLinkServer,
  TLS_DIR,
  type LinkServer,
} from "../../helpers/link-server.js";

const USER_AGENT = "partoo-links/9.9.9 (link check)";
let server: LinkServer;

beforeEach(async () => {
  server = await startLinkServer();
});
afterEach(() => server.close());

async function check(url: string, options: Partial<LinkCheckerOptions> = {}) {
  const checker = createLinkChecker({ timeoutMs: 2000, userAgent: USER_AGENT, ...options });
  try {
    return await checker.check(url);
  } finally {
    await checker.close();
  }
}

describe("the link checker", () => {
  test("a page that answers 200 is ok, asked with HEAD only and the tool's User-Agent", async () => {
    server.route("/paris", answer(200));
    expect(await check(`${server.origin}/paris`)).toEqual({
      kind: "ok",
      finalUrl: `${server.origin}/paris`,
    });
    expect(server.seen).toEqual([{ method: "HEAD", path: "/paris", userAgent: USER_AGENT }]);
  });

  test("a page that answers 404 is broken, confirmed by a GET", async () => {
    expect(await check(`${server.origin}/gone`)).toEqual({
      kind: "broken",
      finalUrl: `${server.origin}/gone`,
      reason: "answered 404 Not Found",
    });
    expect(server.seen.map((seen) => seen.method)).toEqual(["HEAD", "GET"]);
  });

  test.each([405, 501, 403])(
    "a HEAD refused with %i is asked again with GET, whose 200 decides",
    async (status) => {
      server.route("/menu", (request, response) =>
        response.writeHead(request.method === "HEAD" ? status : 200).end("<html>"),
      );
      expect((await check(`${server.origin}/menu`)).kind).toBe("ok");
      expect(server.seen.map((seen) => seen.method)).toEqual(["HEAD", "GET"]);
    },
  );

  test("a 500 is broken", async () => {
    server.route("/down", answer(500));
    expect(await check(`${server.origin}/down`)).toMatchObject({
      kind: "broken",
      reason: "answered 500 Internal Server Error",
    });
  });

  test("a 429 is throttled, not broken, and is not asked again", async () => {
    server.route("/busy", answer(429));
    expect((await check(`${server.origin}/busy`)).kind).toBe("throttled");
    expect(server.seen).toHaveLength(1);
  });

  test("a redirect is followed to the page it names, relative or absolute, on another host too", async () => {
    server.route("/old", answer(301, "/new"));
    server.route("/new", answer(302, `${server.otherOrigin}/final#part`));
    server.route("/final", answer(200));
    expect(await check(`${server.origin}/old`)).toEqual({
      kind: "ok",
      finalUrl: `${server.otherOrigin}/final`,
    });
    expect(server.seen.map((seen) => seen.path)).toEqual(["/old", "/new", "/final"]);
  });

  test("a redirect to a page that answers 404 is broken there", async () => {
    server.route("/old", answer(308, `${server.otherOrigin}/missing`));
    expect(await check(`${server.origin}/old`)).toEqual({
      kind: "broken",
      finalUrl: `${server.otherOrigin}/missing`,
      reason: "answered 404 Not Found",
    });
  });

  test("more than 5 redirects are broken, and a sixth is never requested", async () => {
    for (let hop = 0; hop < 10; hop++) server.route(`/hop${hop}`, answer(302, `/hop${hop + 1}`));
    expect(await check(`${server.origin}/hop0`)).toMatchObject({
      kind: "broken",
      reason: "more than 5 redirects",
    });
    expect(server.seen).toHaveLength(6);
  });

  test("a redirect without a Location, or to a non-web address, is broken", async () => {
    server.route("/nowhere", answer(302));
    server.route("/script", answer(302, "javascript:alert(1)"));
    expect(await check(`${server.origin}/nowhere`)).toMatchObject({
      kind: "broken",
      reason: "answered 302 Found without saying where to (no Location)",
    });
    expect(await check(`${server.origin}/script`)).toMatchObject({
      kind: "broken",
      reason: "redirects to a javascript: address, which is not a web page",
    });
  });

  test("a server that never answers is broken after the timeout, not later", async () => {
    server.route("/slow", neverAnswer);
    const started = Date.now();
    expect(await check(`${server.origin}/slow`, { timeoutMs: 500 })).toMatchObject({
      kind: "broken",
      reason: "no complete answer within 0.5 s",
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("a refused connection is broken", async () => {
    const port = await closedPort();
    expect(await check(`http://127.0.0.1:${port}/`)).toMatchObject({
      kind: "broken",
      reason: "connection refused (ECONNREFUSED)",
    });
  });

  test("a host name that does not resolve is broken", async () => {
    // The resolver is the test's: no DNS query leaves the machine.
    const noDns = new Agent({
      connect: {
        lookup: (hostname, _options, callback) =>
          callback(
            Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }),
            "",
            4,
          ),
      },
    });
    try {
      expect(await check("https://shop.example.invalid/", { dispatcher: noDns })).toMatchObject({
        kind: "broken",
        reason: "host name not found (DNS, ENOTFOUND)",
      });
    } finally {
      await noDns.close();
    }
  });

  test("a certificate nobody trusts is a TLS failure; trusted, the same page is ok", async () => {
    const secure = await startLinkServer({ tls: true });
    secure.route("/", answer(200));
    try {
      expect(await check(`${secure.origin}/`)).toMatchObject({
        kind: "broken",
        reason: expect.stringMatching(/^TLS failed \([A-Z_]+\)$/),
      });
      const ca = readFileSync(path.join(TLS_DIR, "localhost.crt"));
      const trusting = new Agent({ connect: { ca } });
      try {
        expect((await check(`${secure.otherOrigin}/`, { dispatcher: trusting })).kind).toBe("ok");
      } finally {
        await trusting.close();
      }
    } finally {
      await secure.close();
    }
  });

  test("a URL asked for by many stores is fetched once", async () => {
    server.route("/shared", answer(200));
    const checker = createLinkChecker({ timeoutMs: 2000, userAgent: USER_AGENT });
    const url = `${server.origin}/shared`;
    await Promise.all([checker.check(url), checker.check(url), checker.check(`${url}#menu`)]);
    await checker.close();
    expect(server.seen).toHaveLength(1);
    expect(checker.fetched).toBe(1);
  });

  test("no more than 2 requests at once reach one host, whatever the overall concurrency", async () => {
    server.route("/page", (_request, response) => {
      setTimeout(() => response.writeHead(200).end(), 50);
    });
    const checker = createLinkChecker({ timeoutMs: 5000, userAgent: USER_AGENT, concurrency: 8 });
    const urls = Array.from({ length: 10 }, (_, index) => `${server.origin}/page?n=${index}`);
    const outcomes = await Promise.all(urls.map((url) => checker.check(url)));
    await checker.close();
    expect(outcomes.every((outcome) => outcome.kind === "ok")).toBe(true);
    expect(server.seen).toHaveLength(10);
    expect(server.inFlight.max).toBe(2);
  });
  test("a server that drops the connection on HEAD is asked again with GET", async () => {
    server.route("/drops-head", (request, response) => {
      if (request.method === "HEAD") request.socket.destroy();
      else response.writeHead(200).end();
    });
    expect((await check(`${server.origin}/drops-head`)).kind).toBe("ok");
    expect(server.seen.map((seen) => seen.method)).toEqual(["HEAD", "GET"]);
  });

  test("no more requests at once than the overall concurrency, across hosts", async () => {
    server.route("/page", (_request, response) => {
      setTimeout(() => response.writeHead(200).end(), 50);
    });
    const checker = createLinkChecker({
      timeoutMs: 5000,
      userAgent: USER_AGENT,
      concurrency: 3,
      perHost: 2,
    });
    const urls = Array.from({ length: 12 }, (_, index) =>
      index % 2 === 0
        ? `${server.origin}/page?n=${index}`
        : `${server.otherOrigin}/page?n=${index}`,
    );
    await Promise.all(urls.map((url) => checker.check(url)));
    await checker.close();
    expect(server.seen).toHaveLength(12);
    expect(server.inFlight.max).toBe(3);
  });
});
