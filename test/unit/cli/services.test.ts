import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServices, type ServiceFactories } from "../../../src/cli/services.js";
import type { CliIO } from "../../../src/cli/io.js";
import type { GithubClient } from "../../../src/github/client.js";
import type { PartooApi } from "../../../src/partoo/client.js";
import { InputError, UsageError } from "../../../src/errors.js";
import { explainFsError } from "../../../src/cli/fs-errors.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "partoo-services-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const io = (env: Record<string, string> = {}): CliIO => ({
  stdout: { write: () => true },
  stderr: { write: () => true },
  env,
  cwd: dir,
  stdoutIsTTY: false,
  stderrIsTTY: false,
});

function fakePartoo(): { client: PartooApi; closed: () => number } {
  let closed = 0;
  const client = {
    stats: { requests: {}, rateLimited: 0 },
    close: async () => void closed++,
  } as unknown as PartooApi;
  return { client, closed: () => closed };
}

describe("the services of a run", () => {
  test("the github: state and the publisher share one GitHub client, built on first use", async () => {
    const built: string[] = [];
    const factories: ServiceFactories = {
      githubClient: (options) => {
        built.push(options.purpose ?? "");
        return { octokit: {}, owner: "acme", repo: "stores", apiUrl: "" } as GithubClient;
      },
    };
    const services = createServices(io(), { state: "github:partoo-state" }, factories);
    expect(built).toEqual([]);
    expect(services.state().description).toBe("github:partoo-state");
    await services.publisher("apply --comment");
    await services.publisher("plan --comment");
    expect(built).toEqual(["--state github:partoo-state"]);
    expect(services.state()).toBe(services.state());
  });

  test("a Partoo client is closed after its work, also when the work throws", async () => {
    const fake = fakePartoo();
    const services = createServices(
      io({ PARTOO_API_KEY: "key-long-enough" }),
      {},
      { partooClient: () => fake.client },
    );
    await expect(services.partoo.use("apply", async () => 7)).resolves.toBe(7);
    await expect(
      services.partoo.use("apply", async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(fake.closed()).toBe(2);
  });

  test("without PARTOO_API_KEY the check fails before any client is built", () => {
    let built = 0;
    const services = createServices(
      io(),
      {},
      { partooClient: () => (built++, fakePartoo().client) },
    );
    expect(() => services.partoo.check("drift")).toThrow(UsageError);
    expect(() => services.partoo.check("drift")).toThrow(
      /^drift calls the Partoo API: set PARTOO_API_KEY/,
    );
    expect(built).toBe(0);
  });

  test("a file that cannot be written is one line naming the path and what to do", async () => {
    await writeFile(path.join(dir, "file"), "");
    const services = createServices(io(), {});
    const error = await services
      .writeFile(path.join(dir, "file", "plan.json"), "{}", "write the plan")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      "file/plan.json: cannot write the plan (EEXIST): a file stands where a directory is needed; check the path",
    );
  });

  test("a file written with overwrite: false is created once, then kept with a one-line error", async () => {
    const services = createServices(io(), {});
    const file = path.join(dir, "new", "README.md");
    await services.writeFile(file, "first", "write the README", { overwrite: false });
    await expect(
      services.writeFile(file, "second", "write the README", { overwrite: false }),
    ).rejects.toThrow(
      /^new\/README\.md: cannot write the README \(EEXIST\): it already exists; it was kept as it is$/,
    );
    expect(await readFile(file, "utf8")).toBe("first");
    await services.writeFile(file, "third", "write the README");
    expect(await readFile(file, "utf8")).toBe("third");
  });

  test("the clock and the environment come from what the entry point gives", async () => {
    const at = new Date("2026-01-02T03:04:05Z");
    const services = createServices(
      io({ GITHUB_SHA: "f".repeat(40), NO_COLOR: "1" }),
      { stores: "shops" },
      { now: () => at, clock: () => 42 },
    );
    expect(services.now()).toBe(at);
    expect(services.clock()).toBe(42);
    expect(await services.actions.commit()).toEqual({ sha: "f".repeat(40), dirty: false });
    expect(services.storesDir).toBe(path.join(dir, "shops"));
    expect(services.color).toBe(false);
  });

  test("outside Actions, store files not committed at HEAD make the commit dirty", async () => {
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
        cwd: dir,
      });
    git("init", "-q");
    await mkdir(path.join(dir, "stores"));
    await writeFile(path.join(dir, "stores", "a.yaml"), "code: a\n");
    git("add", ".");
    git("commit", "-qm", "stores");
    const head = git("rev-parse", "HEAD").toString().trim();
    const services = createServices(io(), {});
    expect(await services.actions.commit()).toEqual({ sha: head, dirty: false });
    await writeFile(path.join(dir, "stores", "a.yaml"), "code: a\nlinks: {}\n");
    expect(await services.actions.commit()).toEqual({ sha: head, dirty: true });
    // Elsewhere in the work tree: not what was applied.
    git("checkout", "-q", "stores");
    await writeFile(path.join(dir, "notes.txt"), "x");
    expect(await services.actions.commit()).toEqual({ sha: head, dirty: false });
  });
});

describe("file-system errors", () => {
  test.each([
    ["ENOENT", "open", "it does not exist; check the path"],
    ["ENOTDIR", "mkdir", "a part of the path is not a directory; check the path"],
    ["EACCES", "open", "permission denied; check its permissions"],
    ["EWHATEVER", "open", "check the path and its permissions"],
  ])("%s is one line with what to do", (code, syscall, advice) => {
    const error = Object.assign(new Error(`${code}: boom`), { code, syscall, path: "/x/y" });
    const explained = explainFsError(error);
    expect(explained.message).toContain(`/x/y: cannot `);
    expect(explained.message).toContain(`(${code})`);
    expect(explained.message).toContain(advice);
    expect(explained.message).not.toContain("\n");
    expect(explained.cause).toBe(error);
  });
});
