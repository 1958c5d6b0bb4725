/**
 * validate and plan --check-links, run as a user runs them: the built CLI in a child process
 * (NODE_EXTRA_CA_CERTS is read only when Node starts), against merchant sites on loopback
 * served over HTTPS with the test certificate, under two host names (127.0.0.1, localhost).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureCliBuilt } from "../helpers/build-cli.js";
import {
  answer,
  closedPort,
  neverAnswer,
  startLinkServer,
  TLS_DIR,
  type LinkServer,
} from "../helpers/link-server.js";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

let bin: string;
let site: LinkServer;
let refusedPort: number;
let dir: string;

beforeAll(async () => {
  bin = await ensureCliBuilt();
}, 180_000);

beforeEach(async () => {
  site = await startLinkServer({ tls: true });
  site.route("/ok", answer(200));
  site.route("/gone", answer(404));
  site.route("/moved", answer(301, `${site.otherOrigin}/landing`));
  site.route("/landing", answer(200));
  site.route("/busy", answer(429));
  site.route("/head-refused", (request, response) =>
    response.writeHead(request.method === "HEAD" ? 405 : 200).end(),
  );
  site.route("/slow", neverAnswer);
  refusedPort = await closedPort();
  dir = mkdtempSync(path.join(os.tmpdir(), "partoo-links-links-"));
  mkdirSync(path.join(dir, "stores"));
});

afterEach(async () => {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

function store(code: string, links: Record<string, string>): void {
  const body = Object.entries(links)
    .map(([type, url]) => `  ${type}:\n    - url: ${url}\n      preferred: true\n`)
    .join("");
  writeFileSync(path.join(dir, "stores", `${code}.yaml`), `code: ${code}\nlinks:\n${body}`);
}

function run(args: readonly string[]): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: dir,
        env: { NODE_EXTRA_CA_CERTS: path.join(TLS_DIR, "localhost.crt"), NO_COLOR: "1" },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}

/** One store per kind of site, each link in its own type (no lint warning). */
function writeFleet(): void {
  store("a-01", { SHOP_ONLINE: `${site.origin}/ok`, FOOD_ORDERING: `${site.origin}/gone` });
  store("b-01", {
    SHOP_ONLINE: `${site.origin}/moved`,
    DINING_RESERVATION: `${site.origin}/busy`,
  });
  store("c-01", {
    APPOINTMENT: `${site.origin}/head-refused`,
    FOOD_TAKEOUT: `${site.origin}/slow`,
    FOOD_DELIVERY: `https://127.0.0.1:${refusedPort}/menu`,
  });
}

describe("--check-links over HTTPS", () => {
  test("validate --check-links reports each broken link at its file:line:col, warns on another host and on 429, and exits 1 within the timeout", async () => {
    writeFleet();
    const result = await run(["validate", "--check-links", "--link-timeout", "1.5"]);
    expect(result.code).toBe(1);
    const o = site.origin;
    expect(result.stdout.split("\n")).toEqual([
      `stores/a-01.yaml:7:12: FOOD_ORDERING link 1 "${o}/gone" is broken: answered 404 Not Found; fix the URL or remove the link`,
      `stores/b-01.yaml:4:12: warning: SHOP_ONLINE link 1 "${o}/moved" redirects to another host: "${site.otherOrigin}/landing"; link the final address instead (Google may refuse links that leave their domain)`,
      `stores/b-01.yaml:7:12: warning: DINING_RESERVATION link 1 "${o}/busy" could not be checked: the server answered 429 Too Many Requests; check it in a browser or run the check again later`,
      `stores/c-01.yaml:7:12: FOOD_TAKEOUT link 1 "${o}/slow" is broken: no complete answer within 1.5 s; fix the URL or remove the link`,
      `stores/c-01.yaml:10:12: FOOD_DELIVERY link 1 "https://127.0.0.1:${refusedPort}/menu" is broken: connection refused (ECONNREFUSED); fix the URL or remove the link`,
      "3 errors in 2 of 3 files, 2 warnings",
      "",
    ]);
    // The slow site costs one timeout, not one per request: the run ends soon after it.
    expect(result.ms).toBeLessThan(10_000);
    expect(new Set(site.seen.map((seen) => seen.userAgent))).toEqual(
      new Set([expect.stringMatching(/^partoo-links\/\d+\.\d+\.\d+/)]),
    );
  }, 60_000);

  test("without --check-links, validate sends no request at all", async () => {
    writeFleet();
    const result = await run(["validate"]);
    expect(result.code).toBe(0);
    expect(site.seen).toEqual([]);
  }, 60_000);

  test("plan --check-links fetches only the URLs that are not in the last-applied state, and fails on a broken one", async () => {
    store("a-01", { SHOP_ONLINE: `${site.origin}/ok`, FOOD_ORDERING: `${site.origin}/gone` });
    mkdirSync(path.join(dir, ".partoo"));
    const applied = { SHOP_ONLINE: [{ id: 1, url: `${site.origin}/ok`, preferred: true }] };
    writeFileSync(
      path.join(dir, ".partoo", "state.json"),
      JSON.stringify({
        version: 2,
        stores: { "a-01": { address: "c-a-01", hash: "an older version" } },
        links: { "a-01": applied },
      }),
    );
    const result = await run(["plan", "--check-links", "--format", "github"]);
    expect(result.code).toBe(1);
    expect(site.seen.map((seen) => seen.path)).toEqual(["/gone", "/gone"]);
    expect(result.stdout).toContain(
      "Links: 1 URL checked (new or changed since the last apply): 1 broken",
    );
    expect(result.stdout).toContain(
      `::error file=stores/a-01.yaml,line=7,col=12,title=partoo-links link check::FOOD_ORDERING link 1 "${site.origin}/gone" is broken: answered 404 Not Found; fix the URL or remove the link\n`,
    );

    site.seen.length = 0;
    const all = await run(["plan", "--check-links=all", "--format", "json"]);
    expect(all.code).toBe(1);
    expect(site.seen.map((seen) => seen.path).sort()).toEqual(["/gone", "/gone", "/ok"]);
    const document = JSON.parse(all.stdout);
    expect(document.links).toMatchObject({ scope: "all", checked: 2 });
    expect(document.links.findings).toHaveLength(1);
  }, 60_000);

  test("plan --check-links writes a Links section into the job summary", async () => {
    store("a-01", { SHOP_ONLINE: `${site.origin}/ok` });
    const summary = path.join(dir, "summary.md");
    const result = await new Promise<Run>((resolve) => {
      execFile(
        process.execPath,
        [bin, "plan", "--check-links"],
        {
          cwd: dir,
          env: {
            NODE_EXTRA_CA_CERTS: path.join(TLS_DIR, "localhost.crt"),
            GITHUB_STEP_SUMMARY: summary,
          },
        },
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr, ms: 0 }),
      );
    });
    expect(result.code).toBe(0);
    expect(readFileSync(summary, "utf8")).toContain(
      "#### Links\n\n✅ **1 URL checked (new or changed since the last apply): none broken**\n",
    );
  }, 60_000);

  test("a link check value other than all is refused in one line", async () => {
    writeFleet();
    const result = await run(["validate", "--check-links=some"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "partoo-links: --check-links=some: unknown value; use --check-links (new or changed URLs) or --check-links=all\n",
    );
    expect(site.seen).toEqual([]);
  }, 60_000);
});
