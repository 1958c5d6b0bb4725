/**
 * `accept --pr` against the fake GitHub: the rewritten files committed through the Git data
 * API on a branch started at the default branch's head, one pull request opened, and the
 * same pull request updated by the next run.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { TEST_API_KEY } from "../helpers/emulator.js";
import { startFakeGithub, type FakeGithub } from "../helpers/fake-github.js";
import { addBusinesses, liveIds, startFleet, url, type Fleet } from "./apply-fleet.js";
import { ACCEPT_BRANCH } from "../../src/github/accept-pull-request.js";

const NAMES = ["lyon-01", "paris-01"];
let fleet: Fleet;
let github: FakeGithub;

afterEach(async () => {
  const written = github?.everythingWritten() ?? "";
  expect(written).not.toContain(TEST_API_KEY);
  expect(written).not.toContain(github?.token ?? "no token");
  await fleet?.close();
  await github?.close();
});

async function setUp(): Promise<void> {
  fleet = await startFleet();
  github = await startFakeGithub();
  addBusinesses(fleet, NAMES);
  for (const code of NAMES) {
    await fleet.writeStore(code, { SHOP_ONLINE: [{ url: url(code), preferred: true }] });
  }
  expect((await fleet.run(["apply"])).code).toBe(0);
  github.commitFiles("main", {
    "README.md": "# our stores\n",
    "stores/lyon-01.yaml": await local("lyon-01"),
    "stores/paris-01.yaml": await local("paris-01"),
  });
}

function local(code: string): Promise<string> {
  return readFile(path.join(fleet.storesDir, `${code}.yaml`), "utf8");
}

function runAccept(env: Record<string, string> = {}) {
  return fleet.run(["accept", "--drifted", "--pr"], {
    env: {
      GITHUB_TOKEN: github.token,
      GITHUB_REPOSITORY: github.repository,
      GITHUB_API_URL: github.url,
      ...env,
    },
  });
}

/** Someone adds a link to paris-01 in Partoo, and the daily drift check sees it. */
async function driftParis(suffix: string): Promise<void> {
  fleet.emu.emulator.store.addLink("c-paris-01", "SHOP_ONLINE", { value: url("paris-01", suffix) });
  expect((await fleet.run(["drift"])).code).toBe(2);
}

describe("accept --pr", () => {
  test("the first run opens exactly one pull request; the second updates it", async () => {
    await setUp();
    const mainHead = github.refs.get("refs/heads/main")!;
    await driftParis("/sale_2024");

    const first = await runAccept();
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(github.pulls.size).toBe(1);
    const pull = [...github.pulls.values()][0]!;
    expect(first.stdout).toContain(`Pull request #${pull.number} opened`);
    expect(pull).toMatchObject({ head: ACCEPT_BRANCH, base: "main", state: "open" });
    // The plan comment's table, Markdown escaped.
    expect(pull.body).toContain("`paris-01`");
    expect(pull.body).toContain("sale\\_2024");
    expect(pull.body).not.toContain("lyon-01");
    // Branched from main's head, every other file kept, the accepted file as written locally.
    expect(github.history(ACCEPT_BRANCH).slice(1)).toEqual(github.history("main"));
    expect(github.history("main")[0]).toBe(mainHead);
    expect(github.readFile(ACCEPT_BRANCH, "README.md")).toBe("# our stores\n");
    expect(github.readFile(ACCEPT_BRANCH, "stores/lyon-01.yaml")).toBe(await local("lyon-01"));
    expect(github.readFile(ACCEPT_BRANCH, "stores/paris-01.yaml")).toBe(await local("paris-01"));
    expect(await local("paris-01")).toContain(url("paris-01", "/sale_2024"));
    // The contents travel inside the one tree request.
    expect(github.countRequests("POST", /\/git\/trees$/)).toBe(1);
    expect(github.countRequests("POST", /\/git\/blobs$/)).toBe(0);

    await driftParis("/outlet");
    const second = await runAccept();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`Pull request #${pull.number} updated`);
    expect(github.pulls.size).toBe(1);
    expect(github.countRequests("POST", /\/pulls$/)).toBe(1);
    expect(pull.body).toContain("/outlet");
    expect(github.readFile(ACCEPT_BRANCH, "stores/paris-01.yaml")).toBe(await local("paris-01"));
    expect(github.history(ACCEPT_BRANCH).slice(1)).toEqual(github.history("main"));
    // Nothing was written to the default branch.
    expect(github.refs.get("refs/heads/main")).toBe(mainHead);
  });

  test("opens no pull request when nothing is to accept", async () => {
    await setUp();
    const gifts = url("paris-01", "/gifts");
    fleet.emu.emulator.store.addLink("c-paris-01", "SHOP_ONLINE", { value: gifts });
    expect((await fleet.run(["drift"])).code).toBe(2);
    fleet.emu.emulator.store.removeLink(liveIds(fleet, "paris-01")[`SHOP_ONLINE ${gifts}`]!);
    const result = await runAccept();
    expect(result.code).toBe(0);
    expect(github.pulls.size).toBe(0);
    expect(github.requests).toEqual([]);
  });

  test("a 403 on the commit names the contents: write permission", async () => {
    await setUp();
    await driftParis("/sale");
    github.fail({
      method: "POST",
      path: /\/git\/trees$/,
      status: 403,
      message: "Resource not accessible by integration",
    });
    const result = await runAccept();
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain('"permissions: contents: write"');
    expect(github.pulls.size).toBe(0);
  });

  test("a 403 on the pull request names the pull-requests: write permission", async () => {
    await setUp();
    await driftParis("/sale");
    github.fail({
      method: "POST",
      path: /\/pulls$/,
      status: 403,
      message: "Resource not accessible by integration",
    });
    const result = await runAccept();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"permissions: pull-requests: write"');
  });

  test("leaves alone a pull request of the accept branch that someone else opened", async () => {
    await setUp();
    await driftParis("/sale");
    github.commitFiles(ACCEPT_BRANCH, { "notes.md": "mine\n" });
    const theirs = github.refs.get(`refs/heads/${ACCEPT_BRANCH}`);
    github.addPull({ head: ACCEPT_BRANCH, title: "my own work", author: "mallory" });
    const result = await runAccept();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/was opened by mallory/);
    expect(github.refs.get(`refs/heads/${ACCEPT_BRANCH}`)).toBe(theirs);
    expect(github.countRequests("POST", /\/git\/trees$/)).toBe(0);
  });

  test("with a personal token, finds its own pull request by the token's login", async () => {
    await setUp();
    github.identity = { kind: "user", login: "alice" };
    await driftParis("/sale");
    expect((await runAccept()).code).toBe(0);
    expect([...github.pulls.values()].map((pull) => pull.user.login)).toEqual(["alice"]);
    await driftParis("/outlet");
    const second = await runAccept();
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Pull request #\d+ updated/);
    expect(github.pulls.size).toBe(1);
  });

  test("names the repository setting when GitHub Actions may not open pull requests", async () => {
    await setUp();
    await driftParis("/sale");
    github.fail({
      method: "POST",
      path: /\/pulls$/,
      status: 403,
      message: "GitHub Actions is not permitted to create or approve pull requests.",
    });
    const result = await runAccept();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"Allow GitHub Actions to create and approve pull requests"');
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("refuses to commit a store file outside the repository", async () => {
    await setUp();
    await driftParis("/sale");
    const result = await runAccept({ GITHUB_WORKSPACE: path.join(fleet.dir, "elsewhere") });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\.\.\/stores\/paris-01\.yaml is not inside the repository/);
    expect(github.requests).toEqual([]);
  });
});
