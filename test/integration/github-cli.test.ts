/**
 * The GitHub flags of the commands, end to end: the CLI in-process against the Partoo
 * emulator and the fake GitHub API, the state on a branch, as the workflows run them.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli, type CliResult } from "../helpers/cli.js";
import {
  seed,
  seedBusiness,
  startTestEmulator,
  TEST_API_KEY,
  type TestEmulator,
} from "../helpers/emulator.js";
import { startFakeGithub, type FakeGithub } from "../helpers/fake-github.js";
import { PLAN_COMMENT_MARKER } from "../../src/github/publisher.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const STATE = ["--state", "github:partoo-state"];
const FAST = ["--rate-limit", "600000"];

describe("GitHub flags of plan, apply and drift", () => {
  let emu: TestEmulator;
  let github: FakeGithub;
  let dir: string;
  let outputs: string[];

  const run = async (argv: string[], env: Record<string, string> = {}): Promise<CliResult> => {
    const result = await runCli(argv, {
      cwd: dir,
      env: {
        ...emu.env,
        GITHUB_TOKEN: github.token,
        GITHUB_REPOSITORY: github.repository,
        GITHUB_API_URL: github.url,
        GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"),
        ...env,
      },
    });
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  const writeStore = (code: string, body: string) =>
    writeFile(path.join(dir, "stores", `${code}.yaml`), `code: ${code}\nlinks:\n${body}`);

  beforeEach(async () => {
    outputs = [];
    emu = await startTestEmulator({
      seed: seed(seedBusiness("paris-01"), seedBusiness("lyon-01")),
    });
    github = await startFakeGithub();
    dir = await mkdtemp(path.join(tmpdir(), "partoo-github-cli-"));
    await mkdir(path.join(dir, "stores"));
    await writeStore("paris-01", "  SHOP_ONLINE:\n    - https://shop.example.com/paris-01\n");
    await writeStore("lyon-01", "  SHOP_ONLINE:\n    - https://shop.example.com/lyon-01\n");
  });

  afterEach(async () => {
    // No secret in anything printed or sent to GitHub.
    for (const text of [...outputs, github.everythingWritten()]) {
      expect(text).not.toContain(github.token);
      expect(text).not.toContain(TEST_API_KEY);
    }
    await emu.close();
    await github.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("plan --comment twice on a pull request with 150 comments leaves one plan comment", async () => {
    const pr = github.addPullRequest();
    for (let i = 0; i < 150; i++) github.addComment(pr, `review ${i}`);
    const event = path.join(dir, "event.json");
    await writeFile(event, JSON.stringify({ pull_request: { number: pr } }));

    const first = await run(["plan", "--comment", ...STATE], { GITHUB_EVENT_PATH: event });
    expect(first.code).toBe(0);
    await writeStore("lyon-01", "  SHOP_ONLINE: []\n");
    const second = await run(["plan", "--comment", ...STATE], { GITHUB_EVENT_PATH: event });
    expect(second.code).toBe(0);

    const plans = github.comments(pr).filter((c) => c.body.startsWith(PLAN_COMMENT_MARKER));
    expect(plans).toHaveLength(1);
    expect(plans[0]!.body).toContain("(offline)");
    expect(plans[0]!.body).toContain("paris-01");
    expect(github.comments(pr)).toHaveLength(151);
    // An offline plan sends nothing to Partoo.
    expect(emu.emulator.requests).toHaveLength(0);
  });

  test("apply records the state on the branch and comments the result on the merged pull request", async () => {
    const pr = github.addPullRequest({ merged: true });
    github.pullsForCommit.set(SHA, [pr]);

    const applied = await run(["apply", "--comment", ...FAST, ...STATE], {
      GITHUB_SHA: SHA,
    });
    expect(applied.code).toBe(0);
    const state = JSON.parse(github.readFile("partoo-state", "state.json")!);
    expect(Object.keys(state.stores).sort()).toEqual(["lyon-01", "paris-01"]);
    expect(state.stores["paris-01"].commit).toBe(SHA);
    const comments = github.comments(pr);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("partoo-links apply");
    expect(comments[0]!.body).toContain("2 applied");

    // The next plan reads that state: nothing to push.
    const plan = await run(["plan", "--detailed-exitcode", ...STATE]);
    expect(plan.code).toBe(0);
    // Both reports went to the job summary.
    const summary = await readFile(path.join(dir, "summary.md"), "utf8");
    expect(summary).toContain("partoo-links apply");
    expect(summary).toContain("Partoo links plan (offline)");
  });

  test("apply --comment that cannot comment warns and exits by the apply's own result", async () => {
    const pr = github.addPullRequest({ merged: true });
    github.pullsForCommit.set(SHA, [pr]);
    github.fail({
      method: "POST",
      path: /\/issues\/\d+\/comments$/,
      status: 403,
      message: "Resource not accessible by integration",
    });

    const applied = await run(["apply", "--comment", "--format", "github", ...FAST, ...STATE], {
      GITHUB_SHA: SHA,
    });
    expect(applied.code).toBe(0);
    expect(applied.stderr).toMatch(
      /warning: apply --comment: the result was not commented \(.*\); the stores were applied and recorded/,
    );
    expect(applied.stdout).toMatch(/^::warning::apply --comment: the result was not commented/m);
    const state = JSON.parse(github.readFile("partoo-state", "state.json")!);
    expect(Object.keys(state.stores).sort()).toEqual(["lyon-01", "paris-01"]);
  });

  test("apply --comment without a GitHub token still applies, warns, and exits 0", async () => {
    const applied = await run(["apply", "--comment", ...FAST, "--state", "file:state.json"], {
      GITHUB_SHA: SHA,
      GITHUB_TOKEN: "",
    });
    expect(applied.code).toBe(0);
    expect(applied.stderr).toMatch(/warning: apply --comment: .*set GITHUB_TOKEN/);
    expect(applied.stdout).toContain("2 applied");
  });

  test("apply --comment on a failed store still exits 1, with or without the comment", async () => {
    await writeStore("ghost-01", "  SHOP_ONLINE: []\n");
    const applied = await run(["apply", "--comment", ...FAST, "--state", "file:state.json"], {
      GITHUB_SHA: SHA,
      GITHUB_TOKEN: "",
    });
    expect(applied.code).toBe(1);
    expect(applied.stdout).toMatch(/ghost-01: failed/);
  });

  test("drift --issue opens the issue once, updates it, and closes it when drift is repaired", async () => {
    expect((await run(["apply", ...FAST, ...STATE])).code).toBe(0);
    const clean = await run(["drift", "--issue", ...FAST, ...STATE]);
    expect(clean.code).toBe(0);
    expect(clean.stderr).toContain("Drift issue: none");

    const [link] = emu.emulator.store.links("c-paris-01")![0]!.urls;
    emu.emulator.store.removeLink(link!.id);
    const opened = await run(["drift", "--issue", ...FAST, ...STATE]);
    expect(opened.code).toBe(2);
    expect(opened.stderr).toMatch(/Drift issue: opened \(#\d+\)/);
    const again = await run(["drift", "--issue", ...FAST, ...STATE]);
    expect(again.stderr).toMatch(/Drift issue: (updated|unchanged)/);
    const issues = [...github.issues.values()].filter((issue) => issue.pull === undefined);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.body).toContain("paris-01");

    expect((await run(["apply", "--repair", ...FAST, ...STATE])).code).toBe(0);
    const closed = await run(["drift", "--issue", ...FAST, ...STATE]);
    expect(closed.code).toBe(0);
    expect(closed.stderr).toMatch(/Drift issue: closed/);
    expect(issues[0]!.state).toBe("closed");
    expect(await readFile(path.join(dir, "summary.md"), "utf8")).toContain("Partoo links drift");
  }, 60_000);
});
