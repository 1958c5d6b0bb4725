/**
 * The plan comment and the drift issue are partoo-links' own only when the token's identity
 * wrote them: anyone can write the hidden marker or add the drift label.
 */
import { createGithubClient } from "../../src/github/client.js";
import { tokenLogin } from "../../src/github/identity.js";
import {
  DRIFT_ISSUE_LABEL,
  PLAN_COMMENT_MARKER,
  createGithubPublisher,
  type GithubPublisher,
} from "../../src/github/publisher.js";
import { startFakeGithub, type FakeGithub, type FakeIdentity } from "../helpers/fake-github.js";

let fake: FakeGithub | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(identity?: FakeIdentity): Promise<[FakeGithub, GithubPublisher]> {
  fake = await startFakeGithub(identity === undefined ? {} : { identity });
  return [fake, createGithubPublisher(createGithubClient(fake.clientOptions()))];
}

/** Whether any request edited or deleted this comment. */
function touched(github: FakeGithub, id: number): boolean {
  return github.requests.some(
    (request) => request.method !== "GET" && request.path.endsWith(`/issues/comments/${id}`),
  );
}

const SPOOFERS = ["mallory", "github-actions", "evil-app[bot]", "GitHub-Actions-bot"];

test.each(SPOOFERS)(
  "a marker comment written by %s is left untouched and the bot creates its own",
  async (spoofer) => {
    const [github, publisher] = await start();
    const pr = github.addPullRequest();
    const spoof = github.addComment(pr, `${PLAN_COMMENT_MARKER}\nApproved: no changes`, spoofer);

    const result = await publisher.upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, "real plan");

    expect(result).toMatchObject({ action: "created", deleted: [] });
    expect(result.id).not.toBe(spoof.id);
    expect(github.comments(pr).find((comment) => comment.id === spoof.id)?.body).toBe(
      `${PLAN_COMMENT_MARKER}\nApproved: no changes`,
    );
    expect(touched(github, spoof.id)).toBe(false);
    const own = github.comments(pr).find((comment) => comment.id === result.id)!;
    expect(own).toMatchObject({
      user: { login: "github-actions[bot]" },
      body: `${PLAN_COMMENT_MARKER}\nreal plan`,
    });
  },
);

test("spoofed marker comments newer and older than the bot's are neither updated nor deleted", async () => {
  const [github, publisher] = await start();
  const pr = github.addPullRequest();
  const olderSpoof = github.addComment(pr, `${PLAN_COMMENT_MARKER}\nfake 1`, "mallory");
  const own = github.addComment(pr, `${PLAN_COMMENT_MARKER}\nold plan`, github.identity.login);
  const newerSpoof = github.addComment(pr, `  ${PLAN_COMMENT_MARKER}\nfake 2`, "mallory");

  const result = await publisher.upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, "new plan");

  expect(result).toMatchObject({ action: "updated", id: own.id, deleted: [] });
  expect(github.comments(pr).map((comment) => comment.id)).toEqual([
    olderSpoof.id,
    own.id,
    newerSpoof.id,
  ]);
  expect(touched(github, olderSpoof.id) || touched(github, newerSpoof.id)).toBe(false);
  expect(github.comments(pr)[1]!.body).toBe(`${PLAN_COMMENT_MARKER}\nnew plan`);
});

test("pagination finds the bot's own plan comment among hundreds, spoofs on every page", async () => {
  const [github, publisher] = await start();
  const pr = github.addPullRequest();
  const spoofs: number[] = [];
  for (let i = 0; i < 260; i++) {
    if (i % 50 === 0) {
      spoofs.push(github.addComment(pr, `${PLAN_COMMENT_MARKER}\nspoof ${i}`, "mallory").id);
    } else {
      github.addComment(pr, `review ${i}`);
    }
  }
  const own = github.addComment(pr, `${PLAN_COMMENT_MARKER}\nold`, github.identity.login);
  github.addComment(pr, `${PLAN_COMMENT_MARKER}\nlast spoof`, "mallory");

  const result = await publisher.upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, "fresh");

  expect(result).toMatchObject({ action: "updated", id: own.id, deleted: [] });
  expect(github.countRequests("GET", /\/issues\/\d+\/comments$/)).toBe(3);
  expect(github.countRequests("POST", /\/comments$/)).toBe(0);
  for (const id of spoofs) expect(touched(github, id)).toBe(false);
  expect(github.comments(pr)).toHaveLength(262);
});

test("older duplicates of the bot's own are deleted, never another author's", async () => {
  const [github, publisher] = await start();
  const pr = github.addPullRequest();
  const first = github.addComment(pr, `${PLAN_COMMENT_MARKER}\nv1`, github.identity.login);
  const spoof = github.addComment(pr, `${PLAN_COMMENT_MARKER}\nv1.5`, "mallory");
  const second = github.addComment(pr, `${PLAN_COMMENT_MARKER}\nv2`, github.identity.login);

  const result = await publisher.upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, "v3");

  expect(result).toMatchObject({ action: "updated", id: second.id, deleted: [first.id] });
  expect(github.comments(pr).map((comment) => comment.id)).toEqual([spoof.id, second.id]);
});

test("with a user's token the plan comment is that user's, not github-actions[bot]'s", async () => {
  const [github, publisher] = await start({ kind: "user", login: "ci-user" });
  const pr = github.addPullRequest();
  const actions = github.addComment(
    pr,
    `${PLAN_COMMENT_MARKER}\nby actions`,
    "github-actions[bot]",
  );
  const own = github.addComment(pr, `${PLAN_COMMENT_MARKER}\nby ci-user`, "CI-User");

  const result = await publisher.upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, "plan");

  expect(result).toMatchObject({ action: "updated", id: own.id, deleted: [] });
  expect(touched(github, actions.id)).toBe(false);
  expect(github.countRequests("POST", /^\/graphql$/)).toBe(0);
});

test("an installation token is named by GraphQL's viewer, as the REST API spells bots", async () => {
  const [github] = await start({
    kind: "installation",
    login: "stores-app[bot]",
    viewerLogin: "stores-app",
  });
  expect(await tokenLogin(createGithubClient(github.clientOptions()))).toBe("stores-app[bot]");
  expect(github.countRequests("GET", /^\/user$/)).toBe(1);
  expect(github.countRequests("POST", /^\/graphql$/)).toBe(1);
});

test("an installation token whose viewer cannot be read is taken for GITHUB_TOKEN's bot", async () => {
  const [github] = await start();
  github.fail({ method: "POST", path: /^\/graphql$/, status: 502 });
  expect(await tokenLogin(createGithubClient(github.clientOptions()))).toBe("github-actions[bot]");
});

test("a rejected token says so instead of guessing an identity", async () => {
  const [github] = await start();
  const client = createGithubClient({
    ...github.clientOptions(),
    token: "ghs_wrongWRONGwrong0123456789",
  });
  await expect(tokenLogin(client)).rejects.toThrow(/the token was rejected \(401/);
});

describe("the drift issue", () => {
  const title = "Partoo links drift";
  const report = { drifting: true, title, body: "2 stores drift" };

  test.each(SPOOFERS)("an issue with the label opened by %s is not updated", async (spoofer) => {
    const [github, publisher] = await start();
    const spoof = github.addIssue(
      { title: "Drift: all good", body: "nothing to see", labels: [DRIFT_ISSUE_LABEL] },
      spoofer,
    );

    const result = await publisher.syncDriftIssue(report);

    expect(result.action).toBe("opened");
    expect(result.issue!.number).not.toBe(spoof);
    expect(github.issues.get(spoof)).toMatchObject({
      title: "Drift: all good",
      body: "nothing to see",
      state: "open",
      comments: [],
    });
    expect(github.issues.get(result.issue!.number)).toMatchObject({
      user: { login: "github-actions[bot]" },
      body: expect.stringMatching(/^2 stores drift/),
    });
  });

  test("a spoofed drift issue is not closed when drift is gone, and gets no comment", async () => {
    const [github, publisher] = await start();
    const spoof = github.addIssue({ title, body: "x", labels: [DRIFT_ISSUE_LABEL] }, "mallory");
    const own = github.addIssue({ title, body: "y", labels: [DRIFT_ISSUE_LABEL] });

    const result = await publisher.syncDriftIssue({ drifting: false, title, body: "" });

    expect(result).toMatchObject({ action: "closed", issue: { number: own } });
    expect(github.issues.get(own)!.state).toBe("closed");
    expect(github.issues.get(spoof)).toMatchObject({ state: "open", comments: [] });
    expect(github.countRequests("PATCH", new RegExp(`/issues/${spoof}$`))).toBe(0);
  });

  test("only the bot's own duplicates are closed as superseded", async () => {
    const [github, publisher] = await start();
    const spoofOlder = github.addIssue(
      { title, body: "a", labels: [DRIFT_ISSUE_LABEL] },
      "mallory",
    );
    const own = github.addIssue({ title, body: "b", labels: [DRIFT_ISSUE_LABEL] });
    const ownLater = github.addIssue({ title, body: "c", labels: [DRIFT_ISSUE_LABEL] });

    const result = await publisher.syncDriftIssue(report);

    expect(result).toMatchObject({ action: "updated", issue: { number: own } });
    expect(github.issues.get(ownLater)).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
    });
    expect(github.issues.get(spoofOlder)).toMatchObject({ state: "open", body: "a", comments: [] });
  });
});
