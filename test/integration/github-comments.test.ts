import { createGithubClient } from "../../src/github/client.js";
import { GITHUB_BODY_LIMIT } from "../../src/github/limits.js";
import {
  PLAN_COMMENT_MARKER,
  createGithubPublisher,
  type GithubPublisher,
} from "../../src/github/publisher.js";
import { UsageError } from "../../src/errors.js";
import { startFakeGithub, type FakeGithub } from "../helpers/fake-github.js";

let fake: FakeGithub;
let publisher: GithubPublisher;

beforeEach(async () => {
  fake = await startFakeGithub();
  publisher = createGithubPublisher(createGithubClient(fake.clientOptions()));
});

afterEach(async () => {
  await fake.close();
});

const marked = (pr: number) =>
  fake.comments(pr).filter((comment) => comment.body.includes(PLAN_COMMENT_MARKER));
/** The requests about the repository, without those that find out whom the token acts as. */
const repoRequests = () => fake.requests.filter((request) => request.path.startsWith("/repos/"));
const bot = () => fake.identity.login;

test("two upserts on a pull request with 150 comments leave exactly one plan comment, updated by a PATCH", async () => {
  const pr = fake.addPullRequest();
  for (let i = 0; i < 150; i++) fake.addComment(pr, `review comment ${i}`);

  const first = await publisher.upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, "plan v1");
  const second = await publisher.upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, "plan v2");

  expect(first.action).toBe("created");
  expect(second).toMatchObject({ action: "updated", id: first.id, deleted: [] });
  expect(marked(pr)).toHaveLength(1);
  expect(marked(pr)[0]!.body).toBe(`${PLAN_COMMENT_MARKER}\nplan v2`);
  expect(fake.comments(pr)).toHaveLength(151);

  const writes = repoRequests().filter((request) => request.method !== "GET");
  expect(writes.map((request) => request.method)).toEqual(["POST", "PATCH"]);
  expect(writes[1]!.path).toBe(`/repos/acme/stores/issues/comments/${first.id}`);
  // Both upserts read every page (the plan comment is the 151st), 100 at a time.
  const reads = repoRequests().filter((request) => request.method === "GET");
  expect(reads.map((request) => request.query["page"] ?? "1")).toEqual(["1", "2", "1", "2"]);
  expect(reads.every((request) => request.query["per_page"] === "100")).toBe(true);
});

test("upsert finds a plan comment on a later page, deletes older duplicates and leaves quotes alone", async () => {
  const pr = fake.addPullRequest();
  const older = fake.addComment(pr, `${PLAN_COMMENT_MARKER}\nold plan`, bot());
  for (let i = 0; i < 110; i++) fake.addComment(pr, `comment ${i}`);
  const quote = fake.addComment(pr, `see the plan above ${PLAN_COMMENT_MARKER}`, bot());
  const newest = fake.addComment(pr, `${PLAN_COMMENT_MARKER}\nnewer plan`, bot());

  const result = await publisher.upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, "fresh plan");

  expect(result).toMatchObject({ action: "updated", id: newest.id, deleted: [older.id] });
  const ids = fake.comments(pr).map((comment) => comment.id);
  expect(ids).not.toContain(older.id);
  expect(ids).toContain(quote.id);
  expect(fake.comments(pr).find((comment) => comment.id === quote.id)!.body).toBe(
    `see the plan above ${PLAN_COMMENT_MARKER}`,
  );
  expect(fake.comments(pr).find((comment) => comment.id === newest.id)!.body).toContain(
    "fresh plan",
  );
  expect(fake.countRequests("POST", /comments$/)).toBe(0);
});

test("a plan over GitHub's comment limit is cut with a note and keeps its marker", async () => {
  const pr = fake.addPullRequest();
  const lines = Array.from({ length: 3000 }, (_, i) => `| store-${i} | SHOP_ONLINE | create |`);
  const body = ["```diff", ...lines, "```", "end of plan"].join("\n");
  expect(body.length).toBeGreaterThan(GITHUB_BODY_LIMIT);

  await publisher.upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, body);

  const stored = marked(pr)[0]!.body;
  expect(stored.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
  expect(stored.startsWith(`${PLAN_COMMENT_MARKER}\n\`\`\`diff\n`)).toBe(true);
  expect(stored).toContain("**Truncated:**");
  expect(stored).toContain("job summary");
  expect(stored).not.toContain("end of plan");
  // The open code fence is closed before the note.
  expect(stored.match(/^```/gm)).toHaveLength(2);
});

test("upsert refuses a marker that is not a hidden HTML comment", async () => {
  const pr = fake.addPullRequest();
  await expect(publisher.upsertPullRequestComment(pr, "partoo plan", "x")).rejects.toThrow(
    /hidden HTML comment/,
  );
  expect(fake.requests).toHaveLength(0);
});

test("commentOnPullRequest adds a new comment each time", async () => {
  const pr = fake.addPullRequest({ merged: true });
  const first = await publisher.commentOnPullRequest(pr, "applied 3 stores");
  const second = await publisher.commentOnPullRequest(pr, "applied 1 store");
  expect(first.id).not.toBe(second.id);
  expect(fake.comments(pr).map((comment) => comment.body)).toEqual([
    "applied 3 stores",
    "applied 1 store",
  ]);
});

test("pullRequestsForCommit lists the pull requests associated with a commit across pages", async () => {
  const sha = "a".repeat(40);
  const numbers = Array.from({ length: 105 }, (_, i) => fake.addPullRequest({ merged: i === 0 }));
  fake.pullsForCommit.set(sha, [...numbers].reverse());

  const pulls = await publisher.pullRequestsForCommit(sha);

  expect(pulls).toHaveLength(105);
  expect(pulls[0]).toMatchObject({ number: numbers[0], merged: true, state: "closed" });
  expect(pulls[1]).toMatchObject({ number: numbers[1], merged: false, state: "open" });
  expect(fake.countRequests("GET", new RegExp(`/commits/${sha}/pulls$`))).toBe(2);
});

test("pullRequestsForCommit of a commit without pull requests is empty", async () => {
  expect(await publisher.pullRequestsForCommit("b".repeat(40))).toEqual([]);
});

test("pullRequestsForCommit rejects a value that is not a commit SHA", async () => {
  await expect(publisher.pullRequestsForCommit("main")).rejects.toThrow(UsageError);
  expect(fake.requests).toHaveLength(0);
});

test("commenting on a pull request that does not exist says what was not found", async () => {
  await expect(publisher.commentOnPullRequest(999, "x")).rejects.toThrow(
    /commenting on pull request #999: not found \(404 at POST \/repos\/acme\/stores\/issues\/999\/comments\)/,
  );
});

test("the default client, with GitHub's pacing and retries, talks to the API", async () => {
  const { throttle: _throttle, retries: _retries, ...options } = fake.clientOptions();
  const paced = createGithubPublisher(createGithubClient(options));
  const pr = fake.addPullRequest();
  expect((await paced.upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, "plan")).action).toBe(
    "created",
  );
  expect(fake.requests.every((request) => request.authorized)).toBe(true);
});
