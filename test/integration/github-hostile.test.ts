/**
 * Hostile values reach GitHub escaped: through the publisher and the job summary into the
 * fake GitHub, and end to end from a live link in the Partoo emulator to the plan comment,
 * the job summary and the workflow log.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { renderApplyMarkdown } from "../../src/core/render/apply.js";
import { renderPlanMarkdown } from "../../src/core/render/markdown.js";
import { createGithubClient } from "../../src/github/client.js";
import {
  PLAN_COMMENT_MARKER,
  createGithubPublisher,
  type GithubPublisher,
} from "../../src/github/publisher.js";
import { appendStepSummary } from "../../src/github/step-summary.js";
import { HOSTILE_VALUES, markdownProblems, textProblems } from "../fixtures/hostile/output.js";
import { HOW_TO_RESOLVE } from "../../src/github/drift-issue.js";
import { runCli } from "../helpers/cli.js";
import { seed, seedBusiness, startTestEmulator } from "../helpers/emulator.js";
import { startFakeGithub, type FakeGithub } from "../helpers/fake-github.js";
import { hostilePlan } from "../unit/core/render/hostile-plan.js";

let fake: FakeGithub;
let publisher: GithubPublisher;
let dir: string;

beforeEach(async () => {
  fake = await startFakeGithub();
  publisher = createGithubPublisher(createGithubClient(fake.clientOptions()));
  dir = await mkdtemp(path.join(tmpdir(), "partoo-github-hostile-"));
});

afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

test("every hostile value reaches the plan comment escaped", async () => {
  const pr = fake.addPullRequest();
  for (const value of HOSTILE_VALUES) {
    await publisher.upsertPullRequestComment(
      pr,
      PLAN_COMMENT_MARKER,
      renderPlanMarkdown(hostilePlan(value)),
    );
    const [comment] = fake.comments(pr);
    expect({ value, problems: markdownProblems(comment!.body) }).toEqual({ value, problems: [] });
  }
  expect(fake.comments(pr)).toHaveLength(1);
});

test("every hostile value reaches the drift issue and the apply comment escaped", async () => {
  const pr = fake.addPullRequest({ merged: true });
  for (const value of HOSTILE_VALUES) {
    const result = await publisher.syncDriftIssue({
      drifting: true,
      title: "Partoo links drift",
      body: renderPlanMarkdown(hostilePlan(value), { title: "Partoo links drift", label: "Drift" }),
    });
    const issue = fake.issues.get(result.issue!.number)!;
    // The closing how-to is this program's own text, with code spans of its commands.
    const body = issue.body.replace(HOW_TO_RESOLVE, "");
    expect({ value, problems: markdownProblems(body) }).toEqual({ value, problems: [] });
    await publisher.commentOnPullRequest(
      pr,
      renderApplyMarkdown({
        outcomes: [{ code: "paris-01", status: "failed", message: value }],
        unmanaged: [],
        requests: 1,
        rateLimited: 0,
        durationMs: 5,
      }),
    );
  }
  for (const comment of fake.comments(pr)) expect(markdownProblems(comment.body)).toEqual([]);
  expect(fake.comments(pr)).toHaveLength(HOSTILE_VALUES.length);
});

test("every hostile value reaches the job summary escaped", async () => {
  const summary = path.join(dir, "summary.md");
  for (const value of HOSTILE_VALUES) {
    await appendStepSummary(summary, renderPlanMarkdown(hostilePlan(value)));
  }
  expect(markdownProblems(await readFile(summary, "utf8"))).toEqual([]);
});

test("a live URL that forges output is escaped in the log, the comment and the summary", async () => {
  const forged = [
    "https://shop.example.com/a\n::error file=stores/paris-01.yaml::forged",
    "https://shop.example.com/b\u001b[2J<img src=x onerror=alert(1)>@octocat #1",
    "https://shop.example.com/c\u202e<!--",
  ];
  const emu = await startTestEmulator({
    seed: seed(seedBusiness("paris-01", { SHOP_ONLINE: forged })),
  });
  try {
    await mkdir(path.join(dir, "stores"));
    await writeFile(
      path.join(dir, "stores", "paris-01.yaml"),
      "code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - https://shop.example.com/paris-01\n",
    );
    const pr = fake.addPullRequest();
    const event = path.join(dir, "event.json");
    await writeFile(event, JSON.stringify({ pull_request: { number: pr } }));
    const result = await runCli(
      ["plan", "--live", "--comment", "--format", "github", "--rate-limit", "600000"],
      {
        cwd: dir,
        env: {
          ...emu.env,
          GITHUB_TOKEN: fake.token,
          GITHUB_REPOSITORY: fake.repository,
          GITHUB_API_URL: fake.url,
          GITHUB_EVENT_PATH: event,
          GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"),
        },
      },
    );

    expect(result.stderr).toContain(`Plan comment created on pull request #${pr}`);
    expect(result.code).toBe(0);
    // The changes are shown (the first link is updated in place): the values made it through, escaped.
    expect(result.stdout).toContain("~ https://shop.example.com/a ::error");
    const annotations = result.stdout.split("\n").filter((line) => /^\s*::/.test(line));
    expect(annotations).toEqual([expect.stringMatching(/^::notice file=stores\/paris-01\.yaml,/)]);
    expect(textProblems(result.stdout, 1)).toEqual([]);
    const [comment] = fake.comments(pr);
    expect(comment!.body).toContain(String.raw`shop.example.com/a \:\:error`);
    expect(markdownProblems(comment!.body)).toEqual([]);
    expect(markdownProblems(await readFile(path.join(dir, "summary.md"), "utf8"))).toEqual([]);
  } finally {
    await emu.close();
  }
});

test("store file names that forge output are escaped by validate in every format", async () => {
  await mkdir(path.join(dir, "stores"));
  const names = [
    "x\n::error file=paris-01.yaml::forged.yaml",
    "y\r::warning::cr.yaml",
    "z\u001b[2J\u202eesc.yaml",
    "<img src=x onerror=alert(1)>@octocat #1.yaml",
  ];
  for (const name of names) {
    await writeFile(path.join(dir, "stores", name), "code: paris-01\nlinks: {}\n");
  }
  const run = (format: string) =>
    runCli(["validate", "--format", format], { cwd: dir, env: { GITHUB_STEP_SUMMARY: "" } });

  const text = await run("text");
  expect(text.code).toBe(1);
  expect(textProblems(text.stdout)).toEqual([]);
  // One line per problem, each naming its file, then the summary: no name added a line.
  const lines = text.stdout.trimEnd().split("\n");
  expect(lines.slice(0, -1).every((line) => line.startsWith("stores/"))).toBe(true);
  // Each name differs from its code (4), and the four share one code: one error for the group.
  expect(lines.at(-1)).toBe("5 errors in 4 of 4 files");

  const github = await run("github");
  expect(
    // One error per file (its code differs from its name) and one for the shared code, nothing more.
    textProblems(github.stdout, names.length + 1).filter((p) => !p.startsWith("a control")),
  ).toEqual([]);
  const commands = github.stdout.split("\n").filter((line) => /^\s*::/.test(line));
  for (const command of commands) expect(command).toMatch(/^::error file=stores\/[^:]*,line=\d+/);

  const markdown = await run("markdown");
  expect(markdownProblems(markdown.stdout)).toEqual([]);
});
