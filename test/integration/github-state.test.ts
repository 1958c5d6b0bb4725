import { createGithubClient, type GithubClient } from "../../src/github/client.js";
import type { StoreRecord } from "../../src/core/model.js";
import { AppError, InputError, UsageError } from "../../src/errors.js";
import { serializeStateDocument, withLinks } from "../../src/state/document.js";
import { STATE_FILE, createGithubStateBackend } from "../../src/github/state-backend.js";
import { startFakeGithub, type FakeGithub } from "../helpers/fake-github.js";

const BRANCH = "partoo-state";
let fake: FakeGithub;
let client: GithubClient;

beforeEach(async () => {
  fake = await startFakeGithub();
  client = createGithubClient(fake.clientOptions());
});

afterEach(async () => {
  await fake.close();
});

function record(code: string, commit = "c0ffee"): StoreRecord {
  return {
    address: `c-${code}`,
    hash: `sha256:${code.padEnd(64, "0").slice(0, 64)}`,
    fileHash: `sha256:${code.padStart(64, "f").slice(-64)}`,
    links: {
      SHOP_ONLINE: [
        { id: 1000 + code.length, url: `https://shop.example.com/${code}`, preferred: true },
        { id: 2000 + code.length, url: `https://shop.example.com/${code}/gifts`, preferred: false },
      ],
      FOOD_TAKEOUT: [],
    },
    commit,
    appliedAt: "2024-05-01T10:00:00.000Z",
    lastAttempt: { status: "ok", at: "2024-05-01T10:00:00.000Z" },
  };
}

const backend = (options: { maxAttempts?: number; on?: GithubClient } = {}) =>
  createGithubStateBackend({
    client: options.on ?? client,
    branch: BRANCH,
    sleep: () => new Promise((resolve) => setTimeout(resolve, 1)),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });

test("a missing branch reads as an empty document without writing anything", async () => {
  expect(await backend().read()).toEqual({ version: 2, stores: {} });
  expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
    `GET /repos/acme/stores/git/ref/heads/${BRANCH}`,
  ]);
});

test("the first update creates the branch as an orphan commit holding only the state file", async () => {
  await backend().update({ "paris-01": record("paris-01") });
  const written = { version: 2 as const, stores: { "paris-01": record("paris-01") } };

  const history = fake.history(BRANCH);
  expect(history).toHaveLength(1);
  const commit = fake.objects.get(history[0]!) as {
    type: "commit";
    parents: string[];
    tree: string;
  };
  expect(commit.parents).toEqual([]);
  const tree = fake.objects.get(commit.tree) as { entries: { path: string }[] };
  expect(tree.entries.map((entry) => entry.path)).toEqual([STATE_FILE]);
  expect(fake.readFile(BRANCH, STATE_FILE)).toBe(serializeStateDocument(written));
  expect(fake.countRequests("POST", /\/git\/refs$/)).toBe(1);
  const read = await backend().read();
  expect(withLinks(read, Object.keys(read.stores))).toEqual(written);
});

test("later updates are commits on top of the head, read through the git blobs API", async () => {
  await backend().update({ "paris-01": record("paris-01") });
  fake.commitFiles(BRANCH, { "README.md": "state of partoo-links, do not edit\n" });

  const second = backend();
  await second.update({ "lyon-02": record("lyon-02"), "paris-01": null });

  expect(fake.history(BRANCH)).toHaveLength(3);
  expect(Object.keys((await backend().read()).stores)).toEqual(["lyon-02"]);
  expect(fake.readFile(BRANCH, "README.md")).toBe("state of partoo-links, do not edit\n");
  expect(fake.countRequests("PATCH", /\/git\/refs\/heads\/partoo-state$/)).toBe(1);
  const update = fake.requests.find((request) => request.method === "PATCH")!;
  expect(JSON.parse(update.body)).toMatchObject({ force: false });
  expect(fake.countRequests("GET", /\/git\/blobs\/[0-9a-f]{40}$/)).toBeGreaterThan(0);
  expect(fake.requests.some((request) => request.path.includes("/contents/"))).toBe(false);
});

test("a run that wrote the head writes again without reading the document back", async () => {
  const state = backend();
  await state.update({ "paris-01": record("paris-01") });
  const before = fake.requests.length;
  await state.update({ "lyon-02": record("lyon-02") });
  expect(fake.requests.slice(before).map((request) => `${request.method} ${request.path}`)).toEqual(
    [
      `GET /repos/acme/stores/git/ref/heads/${BRANCH}`,
      "POST /repos/acme/stores/git/blobs",
      "POST /repos/acme/stores/git/trees",
      "POST /repos/acme/stores/git/commits",
      `PATCH /repos/acme/stores/git/refs/heads/${BRANCH}`,
    ],
  );
});

test("an update that changes nothing writes no commit", async () => {
  await backend().update({ "paris-01": record("paris-01") });
  const before = fake.requests.length;
  await backend().update({ "paris-01": record("paris-01"), "gone-01": null });
  expect(fake.history(BRANCH)).toHaveLength(1);
  expect(fake.requests.slice(before).every((request) => request.method === "GET")).toBe(true);
});

test("updates made at the same time by one run are merged into one commit", async () => {
  const state = backend();
  const codes = Array.from({ length: 10 }, (_, i) => `store-${i}`);
  await Promise.all(codes.map((code) => state.update({ [code]: record(code) })));
  expect(fake.history(BRANCH)).toHaveLength(1);
  expect(Object.keys((await backend().read()).stores)).toEqual(codes);
});

test("a writer that loses the race re-reads the newest document and keeps both records", async () => {
  await backend().update({ "seed-00": record("seed-00") });
  const other = backend({ on: createGithubClient(fake.clientOptions()) });
  let raced = false;
  fake.beforeRefUpdate = async () => {
    if (raced) return;
    raced = true;
    // Another run moves the branch between our read and our ref update.
    await other.update({ "lyon-02": record("lyon-02") });
  };

  await backend().update({ "paris-01": record("paris-01") });

  const rejected = fake.requests.filter((r) => r.method === "PATCH" && r.status === 422);
  expect(rejected).toHaveLength(1);
  expect(Object.keys((await backend().read()).stores)).toEqual(["lyon-02", "paris-01", "seed-00"]);
  expect(fake.history(BRANCH)).toHaveLength(3);
});

test("two runs racing with 20 updates each both end with all their stores recorded", async () => {
  const runA = backend({ on: createGithubClient(fake.clientOptions()) });
  const runB = backend({ on: createGithubClient(fake.clientOptions()) });
  const jitter = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
  const run = (state: typeof runA, prefix: string) =>
    Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await jitter();
        const code = `${prefix}-${String(i).padStart(2, "0")}`;
        await state.update({ [code]: record(code) });
      }),
    );

  await Promise.all([run(runA, "a"), run(runB, "b")]);

  const stores = Object.keys((await backend().read()).stores);
  expect(stores).toHaveLength(40);
  expect(stores.filter((code) => code.startsWith("a-"))).toHaveLength(20);
  expect(stores.filter((code) => code.startsWith("b-"))).toHaveLength(20);
  // The race really happened: some compare-and-swap lost and was retried.
  const lost = fake.requests.filter(
    (r) => (r.method === "PATCH" || r.path.endsWith("/git/refs")) && r.status === 422,
  );
  expect(lost.length).toBeGreaterThan(0);
});

test("the state holds 10,000 stores", async () => {
  const changes: Record<string, StoreRecord> = {};
  for (let i = 0; i < 10_000; i++) {
    const code = `store-${String(i).padStart(5, "0")}`;
    changes[code] = record(code, "0123456789abcdef0123456789abcdef01234567");
  }
  const started = Date.now();
  await backend().update(changes);
  await backend().update({ "store-00000": null });
  const read = await backend().read();
  const elapsed = Date.now() - started;

  expect(Object.keys(read.stores)).toHaveLength(9_999);
  expect(withLinks(read, ["store-09999"]).stores["store-09999"]).toEqual(changes["store-09999"]);
  expect(Buffer.byteLength(fake.readFile(BRANCH, STATE_FILE)!)).toBeGreaterThan(2_000_000);
  expect(elapsed).toBeLessThan(15_000);
});

test("a corrupt state on the branch is an error, never an empty state, and is not overwritten", async () => {
  const head = fake.commitFiles(BRANCH, { [STATE_FILE]: '{"version": 1, "stores": ' });
  await expect(backend().read()).rejects.toThrow(InputError);
  await expect(backend().read()).rejects.toThrow(
    /^github:partoo-state \(state\.json at [0-9a-f]{7}\): the state document is not valid JSON/,
  );
  await expect(backend().update({ "paris-01": record("paris-01") })).rejects.toThrow(InputError);
  expect(fake.refs.get(`refs/heads/${BRANCH}`)).toBe(head);
  expect(fake.requests.filter((request) => request.method !== "GET")).toHaveLength(0);
});

test("a state document of an unknown version is an error", async () => {
  fake.commitFiles(BRANCH, { [STATE_FILE]: '{"version": 3, "stores": {}}' });
  await expect(backend().read()).rejects.toThrow(/version 3 is not supported/);
});

test("a state file that is not UTF-8 is an error", async () => {
  fake.commitFiles(BRANCH, { [STATE_FILE]: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) });
  await expect(backend().read()).rejects.toThrow(/not UTF-8 text/);
});

test("a branch without the state file is an error naming what to do", async () => {
  fake.commitFiles(BRANCH, { "README.md": "hello" });
  await expect(backend().read()).rejects.toThrow(
    /github:partoo-state: branch partoo-state has no state\.json at [0-9a-f]{7}; restore it/,
  );
});

test("a branch that keeps moving ends in a clear error after the bounded attempts", async () => {
  await backend().update({ "seed-00": record("seed-00") });
  fake.fail({
    method: "PATCH",
    path: /\/git\/refs\//,
    status: 422,
    message: "Update is not a fast forward",
  });

  const error = await backend({ maxAttempts: 3 })
    .update({ "paris-01": record("paris-01") })
    .catch((caught: unknown) => caught);

  expect(error).toBeInstanceOf(AppError);
  expect((error as Error).message).toMatch(
    /^github:partoo-state: could not record the state after 3 attempts/,
  );
  expect(fake.countRequests("PATCH", /\/git\/refs\//)).toBe(3);
});

test("a write without contents permission names the permission the workflow needs", async () => {
  fake.fail({
    method: "POST",
    path: /\/git\/blobs$/,
    status: 403,
    message: "Resource not accessible by integration",
  });
  await expect(backend().update({ "paris-01": record("paris-01") })).rejects.toThrow(
    /permission denied \(403 Resource not accessible by integration\); the workflow job needs "permissions: contents: write"/,
  );
});

test("an invalid branch name is a usage error", () => {
  for (const branch of ["", "a..b", "with space", "-x", "x.lock", "a:b", "x/", "a\u0001b"]) {
    expect(() => createGithubStateBackend({ client, branch })).toThrow(UsageError);
  }
  expect(createGithubStateBackend({ client, branch: "ops/partoo-state" }).description).toBe(
    "github:ops/partoo-state",
  );
});
