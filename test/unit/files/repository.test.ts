import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  findRepository,
  readRegularFileInside,
  repositoryAt,
} from "../../../src/files/repository.js";

let top: string;
let repo: string;

beforeEach(() => {
  top = mkdtempSync(path.join(os.tmpdir(), "partoo-repository-"));
  repo = path.join(top, "repo");
  mkdirSync(path.join(repo, ".git"), { recursive: true });
  writeFileSync(path.join(repo, ".git", "config"), "[core]\n");
  mkdirSync(path.join(repo, "sub", "deeper"), { recursive: true });
  writeFileSync(path.join(repo, "partoo-links.yaml"), "defaults: {}\n");
  writeFileSync(path.join(top, "secret.txt"), "ghs_secret\n");
});

afterEach(() => rmSync(top, { recursive: true, force: true }));

const read = (file: string, maxBytes = 1024) =>
  readRegularFileInside(path.join(repo, file), findRepository(repo, repo), { maxBytes });

describe("findRepository", () => {
  test("is the git work tree holding the directory, from any depth", () => {
    expect(findRepository(path.join(repo, "sub", "deeper"), top).root).toBe(
      repositoryAt(repo).root,
    );
  });

  test("is the fallback outside git", () => {
    const plain = path.join(top, "plain");
    mkdirSync(plain);
    expect(findRepository(plain, plain).root).toBe(repositoryAt(plain).root);
  });

  test("a .git file (a worktree or submodule) marks a work tree too", () => {
    const worktree = path.join(top, "worktree");
    mkdirSync(path.join(worktree, "stores"), { recursive: true });
    writeFileSync(path.join(worktree, ".git"), "gitdir: /elsewhere\n");
    expect(findRepository(path.join(worktree, "stores"), top).root).toBe(
      repositoryAt(worktree).root,
    );
  });
});

describe("readRegularFileInside (the reader of the fleet file)", () => {
  test("reads a regular file, and one through a link that stays inside", () => {
    symlinkSync(path.join(repo, "partoo-links.yaml"), path.join(repo, "sub", "linked.yaml"));
    for (const file of ["partoo-links.yaml", "sub/linked.yaml"]) {
      const result = read(file);
      expect("bytes" in result && result.bytes.toString()).toBe("defaults: {}\n");
    }
  });

  test.each([
    [
      "a link out of the repository",
      () => symlinkSync(path.join(top, "secret.txt"), path.join(repo, "x")),
      /leads outside the repository/,
    ],
    [
      "a relative link out",
      () => symlinkSync("../secret.txt", path.join(repo, "x")),
      /leads outside the repository/,
    ],
    [
      "a link into .git",
      () => symlinkSync(".git/config", path.join(repo, "x")),
      /into the \.git directory/,
    ],
    [
      "a link loop",
      () => {
        symlinkSync("y", path.join(repo, "x"));
        symlinkSync("x", path.join(repo, "y"));
      },
      /a loop of symbolic links/,
    ],
    [
      "a dangling link",
      () => symlinkSync("missing", path.join(repo, "x")),
      /a broken symbolic link/,
    ],
    ["a directory", () => mkdirSync(path.join(repo, "x")), /^not a regular file$/],
    ["a missing file", () => undefined, /^no such file$/],
    [
      "a path through a linked directory that leads out",
      () => {
        symlinkSync(top, path.join(repo, "up"));
        writeFileSync(path.join(top, "x"), "secret");
      },
      /leads outside the repository/,
    ],
  ])("refuses %s, in words that quote nothing of it", (name, make, message) => {
    make();
    const result = read(name.includes("linked directory") ? "up/x" : "x");
    expect("problem" in result && result.problem).toMatch(message);
    expect(JSON.stringify(result)).not.toContain("secret");
  });

  test("refuses a file over the limit without reading it whole", () => {
    writeFileSync(path.join(repo, "big.yaml"), "x".repeat(5000));
    const result = read("big.yaml", 1000);
    expect("problem" in result && result.problem).toMatch(/over the limit of 1000/);
  });

  const hasMkfifo = (() => {
    try {
      execFileSync("mkfifo", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();
  (hasMkfifo ? test : test.skip)("refuses a FIFO without blocking", () => {
    execFileSync("mkfifo", [path.join(repo, "fifo")]);
    const result = read("fifo");
    expect("problem" in result && result.problem).toBe("not a regular file");
  });
});
