/**
 * Store files checked in worker threads give exactly what the main thread alone gives, in
 * the same order: stores, issues, invalid files, the rules across files, the fleet file's
 * expansion. Workers need JavaScript: they run the built module (dist/) or the Action's
 * bundle, as the CLI and the Action do; a worker that crashes or misbehaves is replaced by
 * the main thread.
 */
import { execFile } from "node:child_process";
import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { main } from "../../src/cli/main.js";
import { loadFleet, loadStores, type LoadOptions } from "../../src/files/index.js";
import { packageRoot } from "../../src/package-info.js";
import { generateStores } from "../bench/generate-stores.js";
import { ensureCliBuilt } from "../helpers/build-cli.js";

const root = packageRoot();
const distWorker = pathToFileURL(path.join(root, "dist", "src", "files", "store-workers.js"));
const run = promisify(execFile);

/**
 * Preloaded into the CLI's process: counts the worker threads it starts and the messages they
 * send, and says so on stderr at exit (the report itself is the same with or without them).
 */
const WORKER_COUNTER = `data:text/javascript,${encodeURIComponent(`
  import { syncBuiltinESMExports } from "node:module";
  import threads from "node:worker_threads";
  const Original = threads.Worker;
  const entries = new Set();
  let started = 0;
  let replies = 0;
  threads.Worker = class extends Original {
    constructor(entry, options) {
      super(entry, options);
      started++;
      entries.add(String(entry));
      this.on("message", () => replies++);
    }
  };
  syncBuiltinESMExports();
  process.on("exit", () =>
    process.stderr.write("workers: " + started + " started from " + [...entries].join(",") + ", " + replies + " replies\\n"),
  );
`)}`;

let repo: string;
let dir: string;

beforeAll(async () => {
  await ensureCliBuilt();
  repo = await mkdtemp(path.join(tmpdir(), "partoo-workers-"));
  dir = path.join(repo, "stores");
  await generateStores(dir, 450, { businessIdShare: 0.3 });
  await writeFile(
    path.join(repo, "partoo-links.yaml"),
    "profiles:\n  shop:\n    links:\n      FOOD_ORDERING:\n        - url: https://order.example.com/{city}/{code}\n          preferred: true\n",
  );
  const bad: Record<string, string | Buffer> = {
    "aaa-yaml.yaml": "code: aaa-yaml\nlinks: [\n",
    "bbb-schema.yaml": "code: bbb-schema\nlinks:\n  SHOP_ONLNE: []\nextra: 1\n",
    "ccc-name.yaml": "code: other-name\nlinks: {}\n",
    "ddd-1.yaml": "code: ddd-1\nbusiness_id: shared01\nlinks: {}\n",
    "zzz-1.yaml": "code: zzz-1\nbusiness_id: shared01\nlinks: {}\n",
    "eee-profile.yaml": "code: eee-profile\nprofile: shop\nvars: {city: lyon}\nlinks: {}\n",
    "fff-novar.yaml": "code: fff-novar\nprofile: shop\nlinks: {}\n",
    "ggg-latin1.yaml": Buffer.from([0x63, 0x6f, 0x64, 0x65, 0x3a, 0x20, 0xe9, 0x0a]),
    "hhh-twice.yaml":
      "code: hhh-twice\nlinks:\n  SHOP_ONLINE:\n    - url: https://a.example.com/x\n      preferred: true\n    - url: https://a.example.com/x\n      preferred: true\n",
  };
  for (const [name, text] of Object.entries(bad)) await writeFile(path.join(dir, name), text);
  await writeFile(path.join(tmpdir(), "partoo-workers-outside.yaml"), "code: x\nlinks: {}\n");
  await symlink(path.join(tmpdir(), "partoo-workers-outside.yaml"), path.join(dir, "iii-out.yaml"));
  await mkdir(path.join(repo, ".git"));
}, 120_000);

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

async function load(workers: NonNullable<LoadOptions["workers"]>) {
  const fleet = await loadFleet(undefined, repo);
  expect(fleet.loaded).toBeDefined();
  const result = await loadStores(dir, { displayRoot: repo, fleet: fleet.loaded!, workers });
  const { threads, ...rest } = result;
  return { threads, rest };
}

test("workers from dist/ give the main thread's result, file for file and in order", async () => {
  const single = await load(false);
  expect(single.threads).toBe(1);
  // The corpus has what the report must keep: errors of every kind and a shared business_id.
  expect(single.rest.issues.filter((issue) => issue.severity === "error").length).toBeGreaterThan(
    8,
  );
  expect(
    single.rest.issues.some((issue) => /business_id "shared01" is also used/.test(issue.message)),
  ).toBe(true);
  const parallel = await load({ entry: distWorker, count: 2, mainThread: false });
  expect(parallel.threads).toBe(3);
  expect(parallel.rest).toEqual(single.rest);
  // The workers wait for the next call, which has its own job: here, no fleet file.
  const withoutFleet = (workers: NonNullable<LoadOptions["workers"]>) =>
    loadStores(dir, { displayRoot: repo, workers }).then(({ threads: _, ...rest }) => rest);
  const alone = await withoutFleet(false);
  expect(alone.issues).not.toEqual(single.rest.issues);
  expect(await withoutFleet({ entry: distWorker, count: 2, mainThread: false })).toEqual(alone);
  // validate's load, hashing nothing: the workers are told so too.
  const unhashed = await loadStores(dir, {
    displayRoot: repo,
    workers: { entry: distWorker, count: 2, mainThread: false },
    hashFiles: false,
  });
  expect(unhashed.threads).toBe(3);
  expect(new Set(unhashed.stores.map(({ fileHash }) => fileHash))).toEqual(new Set([""]));
  expect(unhashed.stores.map(({ store }) => store)).toEqual(alone.stores.map(({ store }) => store));
}, 60_000);

test("a worker that cannot start, crashes or answers nonsense is replaced by the main thread", async () => {
  const single = await load(false);
  const scripts = {
    "throws.mjs": 'throw new Error("boom");\n',
    "exits.mjs":
      'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => process.exit(3));\n',
    "short.mjs":
      'import { parentPort } from "node:worker_threads";\nparentPort.on("message", ({ chunk }) => parentPort.postMessage({ chunk, outcomes: [] }));\n',
    "nonsense.mjs":
      'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => parentPort.postMessage({ chunk: -1 }));\n',
  };
  for (const [name, text] of Object.entries(scripts)) {
    const file = path.join(repo, name);
    await writeFile(file, text);
    const result = await load({ entry: pathToFileURL(file), count: 2, mainThread: false });
    expect({ name, threads: result.threads }).toEqual({ name, threads: 1 });
    expect(result.rest).toEqual(single.rest);
  }
}, 60_000);

test("the Action's bundle serves as its own worker", async () => {
  // Inside this package, as dist-action/index.js is: the schemas are found from the bundle.
  const bundle = path.join(root, ".cache", `store-workers-${process.pid}`, "index.js");
  await run(process.execPath, [path.join(root, "esbuild.config.js"), "--outfile", bundle], {
    cwd: root,
  });
  const single = await load(false);
  try {
    const parallel = await load({ entry: pathToFileURL(bundle), count: 1, mainThread: false });
    expect(parallel.threads).toBe(2);
    expect(parallel.rest).toEqual(single.rest);
  } finally {
    await rm(path.dirname(bundle), { recursive: true, force: true });
  }
}, 120_000);

test("the built CLI and its bundle check a large fleet on worker threads by default and report as one thread", async () => {
  const script = `
    import { loadFleet, loadStores } from ${JSON.stringify(pathToFileURL(path.join(root, "dist", "src", "files", "index.js")).href)};
    const fleet = await loadFleet(undefined, ${JSON.stringify(repo)});
    const result = await loadStores(${JSON.stringify(dir)}, { displayRoot: ${JSON.stringify(repo)}, fleet: fleet.loaded, workers: { count: 1, mainThread: false } });
    console.log(result.threads);
  `;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script]);
  expect(stdout.trim()).toBe("2");
  // The bin runs the bundle: its workers start the bundle's own chunk, which serves.
  const cli = path.join(root, "bin", "partoo-links.js");
  const result = (await run(
    process.execPath,
    ["--import", WORKER_COUNTER, cli, "validate", "--stores", "stores", "--format", "json"],
    { cwd: repo },
  ).catch((error: { stdout: string; stderr: string; code: number }) => error)) as {
    stdout: string;
    stderr: string;
    code?: number;
  };
  expect(result.code).toBe(1);
  const counted = /workers: (\d+) started from (\S+), (\d+) replies/.exec(result.stderr);
  expect(counted).not.toBeNull();
  const [, started, entry, replies] = counted!;
  expect(Number(started)).toBeGreaterThan(0);
  expect(entry!.startsWith(pathToFileURL(path.join(root, "dist", "bundle")).href)).toBe(true);
  expect(Number(replies)).toBeGreaterThan(0);
  // The same command in this process, where there are no workers (TypeScript under jest).
  let inThread = "";
  const code = await main(["validate", "--stores", "stores", "--format", "json"], {
    stdout: { write: (chunk: string) => ((inThread += chunk), true) },
    stderr: { write: () => true },
    env: {},
    cwd: repo,
    stdoutIsTTY: false,
    stderrIsTTY: false,
  });
  expect(code).toBe(1);
  expect(result.stdout).toBe(inThread);
}, 60_000);
