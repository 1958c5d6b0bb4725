import { createGithubClient } from "../../src/github/client.js";
import {
  DRIFT_ISSUE_LABEL,
  createGithubPublisher,
  type GithubPublisher,
} from "../../src/github/publisher.js";
import { HOW_TO_RESOLVE } from "../../src/github/drift-issue.js";
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

const title = "Partoo links drift";
const openDriftIssues = () =>
  [...fake.issues.values()].filter(
    (issue) => issue.state === "open" && issue.labels.includes(DRIFT_ISSUE_LABEL),
  );

test("the drift issue is opened once, updated while drifting and closed when drift is gone", async () => {
  expect(await publisher.syncDriftIssue({ drifting: false, title, body: "" })).toEqual({
    action: "none",
  });
  const writes = fake.requests.filter(
    (request) => request.method !== "GET" && request.path.startsWith("/repos/"),
  );
  expect(writes).toHaveLength(0);

  const opened = await publisher.syncDriftIssue({ drifting: true, title, body: "3 stores drift" });
  expect(opened.action).toBe("opened");
  expect(fake.labels.get(DRIFT_ISSUE_LABEL)).toMatchObject({ name: DRIFT_ISSUE_LABEL });
  const number = opened.issue!.number;

  const updated = await publisher.syncDriftIssue({ drifting: true, title, body: "1 store drifts" });
  expect(updated).toEqual({ action: "updated", issue: opened.issue });
  expect(openDriftIssues().map((issue) => [issue.number, issue.body])).toEqual([
    [number, `1 store drifts${HOW_TO_RESOLVE}`],
  ]);

  const same = await publisher.syncDriftIssue({ drifting: true, title, body: "1 store drifts" });
  expect(same.action).toBe("unchanged");

  const closed = await publisher.syncDriftIssue({ drifting: false, title, body: "" });
  expect(closed).toEqual({ action: "closed", issue: opened.issue });
  const issue = fake.issues.get(number)!;
  expect(issue).toMatchObject({ state: "closed", state_reason: "completed" });
  expect(issue.comments.map((comment) => comment.body)).toEqual([
    expect.stringContaining("matching the store files"),
  ]);

  expect((await publisher.syncDriftIssue({ drifting: false, title, body: "" })).action).toBe(
    "none",
  );
  const reopened = await publisher.syncDriftIssue({ drifting: true, title, body: "again" });
  expect(reopened.action).toBe("opened");
  expect(reopened.issue!.number).not.toBe(number);

  expect(fake.countRequests("POST", /\/issues$/)).toBe(2);
  expect(fake.countRequests("POST", /\/labels$/)).toBe(1);
});

test("closing uses the caller's comment when given one", async () => {
  const number = fake.addIssue({ title, body: "drift", labels: [DRIFT_ISSUE_LABEL] });
  await publisher.syncDriftIssue({
    drifting: false,
    title,
    body: "",
    resolvedComment: "Repaired by run 42.",
  });
  expect(fake.comments(number).map((comment) => comment.body)).toEqual(["Repaired by run 42."]);
});

test("an existing label is reused, not created again", async () => {
  fake.labels.set(DRIFT_ISSUE_LABEL, { name: DRIFT_ISSUE_LABEL, color: "000000", description: "" });
  await publisher.syncDriftIssue({ drifting: true, title, body: "drift" });
  expect(fake.countRequests("POST", /\/labels$/)).toBe(0);
  expect(openDriftIssues()).toHaveLength(1);
});

test("among many open drift issues across pages the oldest is kept and the others closed", async () => {
  fake.addPullRequest({ title: "unrelated pull request" });
  const numbers = Array.from({ length: 105 }, (_, i) =>
    fake.addIssue({ title: `old drift ${i}`, body: "old", labels: [DRIFT_ISSUE_LABEL] }),
  );
  fake.addIssue({ title: "another issue", body: "", labels: ["bug"] });

  const result = await publisher.syncDriftIssue({ drifting: true, title, body: "now" });

  // GitHub lists newest first: the oldest is only on the second page.
  expect(result).toMatchObject({ action: "updated", issue: { number: numbers[0] } });
  expect(openDriftIssues().map((issue) => issue.number)).toEqual([numbers[0]]);
  expect(fake.issues.get(numbers[1]!)).toMatchObject({
    state: "closed",
    state_reason: "not_planned",
  });
  expect(fake.comments(numbers[1]!)[0]!.body).toBe(`Superseded by #${numbers[0]}.`);
  expect([...fake.issues.values()].find((issue) => issue.title === "another issue")!.state).toBe(
    "open",
  );
});

test("pull requests carrying the drift label are never taken for the drift issue", async () => {
  const pr = fake.addPullRequest();
  fake.issues.get(pr)!.labels.push(DRIFT_ISSUE_LABEL);
  const result = await publisher.syncDriftIssue({ drifting: true, title, body: "drift" });
  expect(result.action).toBe("opened");
  expect(result.issue!.number).not.toBe(pr);
  expect(fake.issues.get(pr)!.state).toBe("open");
});

test("the drift issue tells how to accept live into the files: the workflow and its input", async () => {
  const opened = await publisher.syncDriftIssue({
    drifting: true,
    title,
    body: "x".repeat(70_000),
  });
  const body = fake.issues.get(opened.issue!.number)!.body;
  expect(body.length).toBeLessThanOrEqual(65_536);
  expect(body).toContain("Truncated");
  expect(body.endsWith(HOW_TO_RESOLVE)).toBe(true);
  expect(HOW_TO_RESOLVE).toMatch(/Drift workflow .* \*\*accept\*\* ticked/);
  expect(HOW_TO_RESOLVE).toContain("partoo-links accept --drifted --pr");
});
