import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { UsageError } from "../../../src/errors.js";
import { openStateBackend } from "../../../src/state/open.js";
import { createServices } from "../../../src/cli/services.js";
import type { CliIO } from "../../../src/cli/io.js";

const io = (cwd: string): CliIO => ({
  stdout: { write: () => true },
  stderr: { write: () => true },
  env: {},
  cwd,
  stdoutIsTTY: false,
  stderrIsTTY: false,
});

describe("opening the state backend from --state", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "partoo-open-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("defaults to file:.partoo/state.json under the working directory", async () => {
    const backend = openStateBackend(undefined, { cwd: dir });
    expect(backend.description).toBe("file:.partoo/state.json");
    await backend.update({ a: { address: "c-a" } });
    expect(await readFile(path.join(dir, ".partoo", "state.json"), "utf8")).toContain('"c-a"');
  });

  test("resolves a relative file: path against the working directory", async () => {
    const backend = openStateBackend("file:custom/state.json", { cwd: dir });
    await backend.update({ b: { address: "c-b" } });
    expect(await readFile(path.join(dir, "custom", "state.json"), "utf8")).toContain('"c-b"');
  });

  test.each([
    [
      "s3:bucket/state.json",
      '--state s3:bucket/state.json: unknown state backend "s3"; use file:PATH or github:BRANCH',
    ],
    ["state.json", "--state state.json: no backend given; did you mean --state file:state.json?"],
    [
      "partoo-state",
      "--state partoo-state: no backend given; did you mean --state file:partoo-state (a file) or --state github:partoo-state (a branch)?",
    ],
    [
      "fiel:state.json",
      '--state fiel:state.json: unknown state backend "fiel" (did you mean "file"?)',
    ],
    ["file:", "--state file:: give a path, e.g. --state file:.partoo/state.json"],
    ["toString:x", '--state toString:x: unknown state backend "toString"'],
    ["github:partoo-state", "--state github:partoo-state calls the GitHub API: set GITHUB_TOKEN"],
    ["github:bad..branch", "--state github:bad..branch: not a valid branch name"],
  ])("rejects %s with a one-line usage error", async (spec, message) => {
    let error: unknown;
    try {
      // Through the services, as a command opens it: github: gets the run's GitHub client,
      // built (and GITHUB_TOKEN checked) on the first read, before any request.
      await createServices(io(dir), { state: spec }).state().read();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as Error).message).not.toContain("\n");
  });

  test("github: is refused where no GitHub opener is given, instead of building a client", () => {
    expect(() => openStateBackend("github:partoo-state", { cwd: dir })).toThrow(
      /the GitHub backend is not available here/,
    );
  });
});
