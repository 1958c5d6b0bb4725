import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { createGithubClient, type GithubClientOptions } from "../../src/github/client.js";
import { GithubApiError } from "../../src/github/errors.js";
import {
  PLAN_COMMENT_MARKER,
  createGithubPublisher,
  type GithubPublisher,
} from "../../src/github/publisher.js";
import { appendStepSummary } from "../../src/github/step-summary.js";
import { createGithubStateBackend } from "../../src/github/state-backend.js";
import { startFakeGithub, type FakeGithub } from "../helpers/fake-github.js";

/** Recognizable, so that any trace of it in output is found. */
const TOKEN = "ghs_SECRETtokenDoNotLeak0123456789abcdef";
const TOKEN_BODY = "SECRETtokenDoNotLeak";

let fake: FakeGithub;
let logged: string[];

beforeEach(async () => {
  fake = await startFakeGithub({ token: TOKEN });
  logged = [];
});

afterEach(async () => {
  await fake.close();
});

function publisherWith(overrides: Partial<GithubClientOptions> = {}): GithubPublisher {
  return createGithubPublisher(
    createGithubClient({
      ...fake.clientOptions(),
      log: (message) => logged.push(message),
      ...overrides,
    }),
  );
}

/** Every string reachable from a value: own properties (enumerable or not), causes, stacks. */
function everythingIn(value: unknown, seen = new Set<unknown>()): string {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object" || seen.has(value)) return String(value);
  seen.add(value);
  const parts: string[] = [];
  if (value instanceof Error) parts.push(value.stack ?? "", value.message);
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor !== undefined && "value" in descriptor) {
      parts.push(String(key), everythingIn(descriptor.value, seen));
    }
  }
  return parts.join("\n");
}

async function failureOf(promise: Promise<unknown>): Promise<GithubApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GithubApiError);
  const apiError = error as GithubApiError;
  expect(apiError.message).not.toContain("\n");
  for (const text of [
    apiError.message,
    everythingIn(apiError),
    JSON.stringify(apiError),
    inspect(apiError, { depth: 20, showHidden: true }),
    logged.join("\n"),
  ]) {
    expect(text).not.toContain(TOKEN_BODY);
  }
  return apiError;
}

test("a rejected token is a one-line error that names GITHUB_TOKEN and never shows either token", async () => {
  const wrong = "ghp_WRONGtokenDoNotLeak0123456789abcdef";
  const pr = fake.addPullRequest();
  const error = await failureOf(
    publisherWith({ token: wrong }).upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, "plan"),
  );
  expect(error.status).toBe(401);
  expect(error.message).toBe(
    `GitHub: reading the comments of pull request #${pr}: the token was rejected (401 Bad credentials); check that GITHUB_TOKEN holds a valid token, e.g. "env: GITHUB_TOKEN: \${{ github.token }}" in the workflow step`,
  );
  expect(everythingIn(error)).not.toContain("WRONGtokenDoNotLeak");
  // The token was really sent, as a header.
  expect(fake.requests[0]).toMatchObject({ hasAuthorization: true, authorized: false });
});

test("a missing permission names the permission each call needs", async () => {
  const pr = fake.addPullRequest();
  fake.fail({
    method: "POST",
    path: /\/comments$/,
    status: 403,
    message: "Resource not accessible by integration",
  });
  fake.fail({
    method: "POST",
    path: /\/labels$/,
    status: 403,
    message: "Resource not accessible by integration",
  });
  const publisher = publisherWith();

  const comment = await failureOf(publisher.upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, "x"));
  expect(comment.message).toMatch(
    /permission denied \(403 Resource not accessible by integration\); the workflow job needs "permissions: pull-requests: write"/,
  );
  const issue = await failureOf(
    publisher.syncDriftIssue({ drifting: true, title: "t", body: "b" }),
  );
  expect(issue.message).toMatch(/^GitHub: creating the "partoo-drift" label: permission denied/);
  expect(issue.message).toContain('"permissions: issues: write"');
});

test("an unknown repository is a 404 naming the route and GITHUB_REPOSITORY", async () => {
  const error = await failureOf(
    publisherWith({ repository: "acme/missing" }).commentOnPullRequest(1, "x"),
  );
  expect(error.message).toBe(
    'GitHub: commenting on pull request #1: not found (404 at POST /repos/acme/missing/issues/1/comments); check GITHUB_REPOSITORY and that the token can access the repository with "pull-requests: write"',
  );
});

test("an unreachable API names the URL to check", async () => {
  const url = fake.url;
  await fake.close();
  fake = await startFakeGithub({ token: TOKEN });
  const error = await failureOf(publisherWith({ apiUrl: url }).commentOnPullRequest(1, "x"));
  expect(error.status).toBe(0);
  expect(error.message).toMatch(
    new RegExp(
      `^GitHub: commenting on pull request #1: cannot reach ${url} \\(.+\\); check GITHUB_API_URL`,
    ),
  );
});

test("server errors and rate limits say to try again later", async () => {
  fake.fail({ path: /\/issues$/, status: 502, message: "Bad Gateway", times: 1 });
  fake.fail({
    path: /\/issues$/,
    status: 403,
    message: "API rate limit exceeded for installation ID 1.",
    headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "0" },
  });
  const publisher = publisherWith();
  const report = { drifting: true, title: "t", body: "b" };
  expect((await failureOf(publisher.syncDriftIssue(report))).message).toMatch(
    /GitHub answered 502 \(Bad Gateway\); try again later$/,
  );
  expect((await failureOf(publisher.syncDriftIssue(report))).message).toMatch(
    /GitHub's API rate limit was hit \(403 API rate limit exceeded for installation ID 1\.\); wait for it to reset/,
  );
});

test("a server that echoes the credentials does not get them into the message", async () => {
  fake.fail({
    path: /comments$/,
    status: 400,
    message: `Problems parsing: Authorization: token ${TOKEN}`,
  });
  // Only the message is ours to check: the cause keeps the server's answer as it came.
  const error = (await publisherWith()
    .commentOnPullRequest(fake.addPullRequest(), "x")
    .catch((caught: unknown) => caught)) as GithubApiError;
  expect(error).toBeInstanceOf(GithubApiError);
  expect(error.message).toContain("Problems parsing: Authorization: token [REDACTED]");
  expect(error.message).not.toContain(TOKEN_BODY);
});

test("nothing written to GitHub, the state branch or the job summary contains the token", async () => {
  const client = createGithubClient({ ...fake.clientOptions(), log: (m) => logged.push(m) });
  const publisher = createGithubPublisher(client);
  const pr = fake.addPullRequest();
  await publisher.upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, "plan");
  await publisher.syncDriftIssue({ drifting: true, title: "drift", body: "drift" });
  await createGithubStateBackend({ client, branch: "partoo-state" }).update({
    "paris-01": { address: "c-paris-01" },
  });
  const dir = await mkdtemp(path.join(tmpdir(), "summary-"));
  try {
    const summary = path.join(dir, "summary.md");
    await appendStepSummary(summary, "## plan");
    expect(await readFile(summary, "utf8")).not.toContain(TOKEN_BODY);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  expect(fake.requests.every((request) => request.authorized)).toBe(true);
  expect(fake.everythingWritten()).not.toContain(TOKEN_BODY);
  expect(everythingIn(client)).not.toContain(TOKEN_BODY);
  expect(logged.join("\n")).not.toContain(TOKEN_BODY);
});
