import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pullRequestFromEvent } from "../../../src/github/event.js";
import { UsageError } from "../../../src/errors.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "event-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function eventFile(content: string): Promise<string> {
  const file = path.join(dir, "event.json");
  await writeFile(file, content);
  return file;
}

test("the pull request number comes from a pull_request event", async () => {
  const file = await eventFile(
    JSON.stringify({ action: "synchronize", number: 7, pull_request: { number: 7 } }),
  );
  expect(await pullRequestFromEvent(file)).toBe(7);
});

test("a push event is a one-line usage error naming the flag", async () => {
  const file = await eventFile(JSON.stringify({ ref: "refs/heads/main", commits: [] }));
  await expect(pullRequestFromEvent(file, "plan --comment")).rejects.toThrow(
    new UsageError(
      `GITHUB_EVENT_PATH ${file}: not a pull request event (no pull_request.number); plan --comment runs in workflows triggered by pull_request`,
    ),
  );
});

test("no event path, a missing file and invalid JSON are usage errors", async () => {
  await expect(pullRequestFromEvent(undefined)).rejects.toThrow(
    /needs GITHUB_EVENT_PATH \(set by GitHub Actions\)/,
  );
  await expect(pullRequestFromEvent(path.join(dir, "missing.json"))).rejects.toThrow(
    /cannot read the event file \(ENOENT\)/,
  );
  await expect(pullRequestFromEvent(await eventFile("{oops"))).rejects.toThrow(/not valid JSON/);
  await expect(pullRequestFromEvent(await eventFile("null"))).rejects.toThrow(UsageError);
  await expect(
    pullRequestFromEvent(await eventFile('{"pull_request":{"number":"7"}}')),
  ).rejects.toThrow(/not a pull request event/);
});
