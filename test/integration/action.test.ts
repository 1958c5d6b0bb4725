/**
 * The Action end to end, as GitHub's runner runs it: a stores repository made by `init`
 * (no copy of the tool), the tracked files of this repository in a directory of their own
 * (no node_modules), action.yml's runs.main under Node 24, inputs as INPUT_* variables,
 * outputs in a GITHUB_OUTPUT file, against the Partoo emulator and the fake GitHub.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { runCli } from "../helpers/cli.js";
import {
  seed,
  seedBusiness,
  startTestEmulator,
  TEST_API_KEY,
  type TestEmulator,
} from "../helpers/emulator.js";
import { startFakeGithub, type FakeGithub } from "../helpers/fake-github.js";
import { ensureNode24 } from "../helpers/node24.js";
import { copyTrackedFiles, runAction, type ActionRun } from "./action-runner.js";
import { PLAN_COMMENT_MARKER } from "../../src/github/publisher.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const WRONG_KEY = "pk-wrong-SECRET-0a1b2c3d4e5f6789";
const FAST = "--rate-limit 600000";

/** One test's own emulator, fake GitHub and stores repository (made by `init`). */
interface Bed {
  readonly emu: TestEmulator;
  readonly github: FakeGithub;
  readonly temp: string;
  readonly workspace: string;
  readonly runs: ActionRun[];
}

const pushEvent = { name: "push", payload: { repository: { default_branch: "main" } } };
const scheduleEvent = { name: "schedule", payload: { repository: { default_branch: "main" } } };

const report = async (result: ActionRun) =>
  JSON.parse(await readFile(result.outputs["report"]!, "utf8")) as Record<string, unknown>;

// The tests run concurrently: each Action run mostly waits on GitHub's pacing of writes
// (one a second), so each test has a bed of its own instead of beforeEach's shared one.
describe("the Action under Node 24, from its committed build", () => {
  let node: string;
  let actionDir: string;
  let action: Awaited<ReturnType<typeof copyTrackedFiles>>;

  beforeAll(async () => {
    node = await ensureNode24();
    actionDir = await mkdtemp(path.join(tmpdir(), "partoo-action-dir-"));
    action = await copyTrackedFiles(actionDir);
  }, 120_000);

  afterAll(async () => {
    await rm(actionDir, { recursive: true, force: true });
  });

  async function openBed(): Promise<Bed> {
    const emu = await startTestEmulator({
      seed: seed(seedBusiness("example-01"), seedBusiness("lyon-01")),
    });
    const github = await startFakeGithub();
    const temp = await mkdtemp(path.join(tmpdir(), "partoo-action-run-"));
    const workspace = path.join(temp, "workspace");
    await mkdir(workspace);
    expect(
      (await runCli(["init", "--action", "acme/partoo-links@v1"], { cwd: workspace })).code,
    ).toBe(0);
    await writeFile(
      path.join(workspace, "stores", "lyon-01.yaml"),
      "code: lyon-01\nlinks:\n  SHOP_ONLINE:\n    - https://shop.example.com/lyon-01\n",
    );
    return { emu, github, temp, workspace, runs: [] };
  }

  async function closeBed({ emu, github, temp }: Bed): Promise<void> {
    await emu.close();
    await github.close();
    await rm(temp, { recursive: true, force: true });
  }

  /** The key and the token are only ever printed inside the runner's ::add-mask:: command. */
  function expectNoSecretShown({ runs, github }: Bed): void {
    for (const run of runs) {
      const shown = [run.stdout, run.stderr, JSON.stringify(run.outputs)]
        .join("\n")
        .split("\n")
        .filter((line) => !line.startsWith("::add-mask::"))
        .join("\n");
      for (const secret of [TEST_API_KEY, WRONG_KEY, github.token])
        expect(shown).not.toContain(secret);
    }
    expect(github.everythingWritten()).not.toContain(TEST_API_KEY);
  }

  /** A test with a bed of its own, checked for secrets when it passes, then closed. */
  const withBed =
    (body: (bed: Bed) => Promise<void>): (() => Promise<void>) =>
    async () => {
      const bed = await openBed();
      try {
        await body(bed);
        expectNoSecretShown(bed);
      } finally {
        await closeBed(bed);
      }
    };

  const run = async (
    { emu, github, temp, workspace, runs }: Bed,
    inputs: Record<string, string>,
    event: { name: string; payload: unknown },
    env: Record<string, string> = {},
  ): Promise<ActionRun> => {
    const result = await runAction({
      node,
      actionDir,
      action,
      workspace,
      temp,
      inputs,
      event,
      githubToken: github.token,
      env: {
        GITHUB_REPOSITORY: github.repository,
        GITHUB_API_URL: github.url,
        GITHUB_STEP_SUMMARY: path.join(temp, "summary.md"),
        GITHUB_REF_NAME: "main",
        GITHUB_SHA: SHA,
        // The step's env: — the emulator stands in for Partoo.
        PARTOO_API_URL: emu.baseUrl,
        ...env,
      },
    });
    runs.push(result);
    return result;
  };
  const pullRequestEvent = ({ github }: Bed, number: number, head = github.repository) => ({
    name: "pull_request",
    payload: {
      pull_request: {
        number,
        head: { repo: { full_name: head } },
        base: { repo: { full_name: github.repository } },
      },
      repository: { default_branch: "main", full_name: github.repository },
    },
  });
  /** The `with:` of the step of init's workflow that runs `command`, its secrets filled in. */
  const workflowInputs = async (
    { workspace }: Bed,
    file: string,
    command: string,
  ): Promise<Record<string, string>> => {
    const text = await readFile(path.join(workspace, ".github", "workflows", file), "utf8");
    const workflow = parse(text) as {
      jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }>;
    };
    const step = Object.values(workflow.jobs)
      .flatMap((job) => job.steps)
      .find((s) => s.uses === "acme/partoo-links@v1" && s.with?.["command"] === command);
    if (step?.with === undefined) throw new Error(`${file} has no step running ${command}`);
    return Object.fromEntries(
      Object.entries(step.with).map(([name, value]) => [
        name,
        String(value).replace(/\$\{\{ secrets\.PARTOO_(READONLY_)?API_KEY \}\}/, TEST_API_KEY),
      ]),
    );
  };
  // The sync workflow's own inputs (its --deadline included); the emulator needs no pacing.
  const apply = async (bed: Bed) => {
    const inputs = await workflowInputs(bed, "sync.yml", "apply");
    return run(bed, { ...inputs, args: `${inputs["args"]} ${FAST}` }, pushEvent);
  };

  test("runs on Node 24 from action.yml's runs.main", () => {
    expect(action.runs.using).toBe("node24");
    expect(action.runs.main).toBe("dist-action/index.js");
  });

  test.concurrent(
    "plan on a pull request comments a live plan; changes=true does not fail the step",
    withBed(async (bed) => {
      const { emu, github, temp } = bed;
      const pr = github.addPullRequest();
      // The inputs of the Plan step of init's plan.yml, with the read-only key. Its link check
      // would fetch the example stores' web sites, which no test can reach: links.test.ts
      // checks links against loopback servers.
      const inputs = await workflowInputs(bed, "plan.yml", "plan");
      expect(inputs["args"]).toBe("--check-links");
      const result = await run(bed, { ...inputs, args: "" }, pullRequestEvent(bed, pr));
      expect(result.stderr).not.toContain("internal error");
      expect(result.code).toBe(0);
      expect(result.outputs).toMatchObject({ "exit-code": "2", changes: "true" });
      expect(await report(result)).toMatchObject({ mode: "live" });
      const comments = github.comments(pr);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
      expect(comments[0]!.body).toContain("example-01");
      expect(await readFile(path.join(temp, "summary.md"), "utf8")).toContain("lyon-01");
      // A plan only reads Partoo.
      expect(emu.emulator.requests.every((request) => request.method === "GET")).toBe(true);
      expect(emu.emulator.requests.length).toBeGreaterThan(0);
    }),
  );

  test.concurrent(
    "plan on a pull request from a fork is offline, in the job summary only, with no comment attempt",
    withBed(async (bed) => {
      const { emu, github, temp } = bed;
      const pr = github.addPullRequest();
      const result = await run(
        bed,
        { command: "plan", "partoo-api-key": TEST_API_KEY, args: "--live" },
        pullRequestEvent(bed, pr, "someone/stores"),
      );
      expect(result.code).toBe(0);
      expect(result.outputs).toMatchObject({ "exit-code": "2", changes: "true" });
      expect(await report(result)).toMatchObject({ mode: "offline" });
      expect(result.stdout).toContain("fork");
      expect(emu.emulator.requests).toHaveLength(0);
      expect(github.requests.filter((request) => request.method !== "GET")).toEqual([]);
      expect(github.comments(pr)).toHaveLength(0);
      expect(await readFile(path.join(temp, "summary.md"), "utf8")).toContain("offline");
    }),
  );

  test.concurrent(
    "apply on a push to the default branch pushes, records the state and comments the result",
    withBed(async (bed) => {
      const { emu, github } = bed;
      const pr = github.addPullRequest({ merged: true });
      github.pullsForCommit.set(SHA, [pr]);
      const result = await apply(bed);
      expect(result.code).toBe(0);
      expect(result.outputs).toMatchObject({ "exit-code": "0", changes: "false" });
      const state = JSON.parse(github.readFile("partoo-state", "state.json")!);
      expect(Object.keys(state.stores).sort()).toEqual(["example-01", "lyon-01"]);
      expect(emu.emulator.store.links("c-lyon-01")).toEqual([
        expect.objectContaining({
          gmb_id: "SHOP_ONLINE",
          urls: [expect.objectContaining({ value: "https://shop.example.com/lyon-01" })],
        }),
      ]);
      expect(github.comments(pr)).toHaveLength(1);
      expect(github.comments(pr)[0]!.body).toContain("2 applied");
    }),
  );

  test.concurrent(
    "apply on a push to another branch fails the step before any request",
    withBed(async (bed) => {
      const { emu } = bed;
      const result = await run(
        bed,
        { command: "apply", "partoo-api-key": TEST_API_KEY },
        pushEvent,
        { GITHUB_REF_NAME: "feature" },
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /^::error::partoo-links action: command apply .*default branch main/m,
      );
      expect(emu.emulator.requests).toHaveLength(0);
    }),
  );

  test.concurrent(
    "drift on a schedule opens the drift issue; drift does not fail the step",
    withBed(async (bed) => {
      const { emu, github } = bed;
      expect((await apply(bed)).code).toBe(0);
      emu.emulator.store.addLink("c-example-01", "SHOP_ONLINE", {
        value: "https://elsewhere.example.com/spam",
      });
      const inputs = await workflowInputs(bed, "drift.yml", "drift");
      expect(inputs["partoo-api-key"]).toBe(TEST_API_KEY);
      const result = await run(bed, { ...inputs, args: FAST }, scheduleEvent);
      expect(result.code).toBe(0);
      expect(result.outputs).toMatchObject({ "exit-code": "2", changes: "true" });
      const issues = [...github.issues.values()].filter((issue) =>
        issue.labels.includes("partoo-drift"),
      );
      expect(issues).toHaveLength(1);
      expect(issues[0]!.state).toBe("open");
      expect(issues[0]!.body).toContain("example-01");
    }),
  );

  test.concurrent(
    "a wrong key fails the step with one ::error annotation and never shows the key",
    withBed(async (bed) => {
      const { github } = bed;
      const result = await run(
        bed,
        { command: "apply", "partoo-api-key": WRONG_KEY, args: FAST },
        pushEvent,
      );
      expect(result.code).toBe(1);
      expect(result.outputs["exit-code"]).toBe("1");
      const errors = result.stdout.split("\n").filter((line) => line.startsWith("::error"));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        /^::error::partoo-links apply: example-01: .*401.*refused.*check PARTOO_API_KEY \(and 1 more stores\)$/,
      );
      // Masked for the runner: its first command is the mask of the key.
      expect(result.stdout.split("\n")[0]).toBe(`::add-mask::${WRONG_KEY}`);
      expect(github.readFile("partoo-state", "state.json") ?? "").not.toContain('example-01":{"ok');
    }),
  );

  test.concurrent(
    "validate annotates invalid store files at their line and fails the step",
    withBed(async (bed) => {
      const { workspace } = bed;
      await writeFile(path.join(workspace, "stores", "bad.yaml"), "code: other\nlinks: {}\n");
      const result = await run(bed, { command: "validate" }, pullRequestEvent(bed, 1));
      expect(result.code).toBe(1);
      expect(result.outputs["exit-code"]).toBe("1");
      expect(result.stdout).toMatch(
        /^::error file=stores\/bad\.yaml,line=1,col=\d+::code "other"/m,
      );
      expect(await report(result)).toMatchObject({ valid: false });
    }),
  );

  test.concurrent(
    "working-directory runs the tool there and annotates files relative to the repository",
    withBed(async (bed) => {
      const { workspace } = bed;
      const sub = path.join(workspace, "fleet");
      await mkdir(path.join(sub, "stores"), { recursive: true });
      await writeFile(path.join(sub, "stores", "bad.yaml"), "code: bad\nlinks: []\n");
      const result = await run(
        bed,
        { command: "validate", "working-directory": "fleet" },
        pushEvent,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^::error file=fleet\/stores\/bad\.yaml,line=2/m);
      expect(await report(result)).toMatchObject({ files: 1 });
    }),
  );

  test.concurrent(
    "an unknown command fails the step with one line naming the input",
    withBed(async (bed) => {
      const result = await run(bed, { command: "plna" }, pushEvent);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        '::error::partoo-links action: input command: unknown command "plna"',
      );
      expect(result.outputs["exit-code"]).toBe("1");
    }),
  );
});
