/**
 * A pull request controls every byte of the checkout, symbolic links included. `validate
 * --format github` (what a fork's pull request runs) and the offline `plan` on a tree of
 * links to secrets must name the links and print nothing of what they lead to.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../helpers/cli.js";

const TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
const SECRETS: Record<string, string> = {
  ".git-credentials": `https://x-access-token:${TOKEN}@github.com\n`,
  id_rsa: [
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACDk3Xf0c8n2Yq9Yk3rO2Lw0bQ8mXx1kqkZp5s3t9fJm7wAAAJhc5v8wXOb/",
    "-----END OPENSSH PRIVATE KEY-----",
    "",
  ].join("\n"),
  ".netrc": "machine github.com\n  login octocat\n  password netrc-Pa55w0rd-7731\n",
  ".env":
    "PARTOO_API_KEY=pk-live-4b1d9e77c0a2f3\nGITHUB_TOKEN=ghp_Zq81ymNwK2vX0aLdE9tR4uB6cJ3hF5sP7oYi\n",
  "config.yaml":
    "code: fine-01\nlinks:\n  SHOP_ONLINE:\n    - https://outside-secret-host.example.com/s3cr3t-path\n",
};
const GIT_CONFIG =
  '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA==\n';

let top: string;
let repo: string;

beforeEach(async () => {
  top = await mkdtemp(path.join(tmpdir(), "partoo-hostile-"));
  const home = path.join(top, "home");
  repo = path.join(top, "repo");
  await mkdir(path.join(home, "dir"), { recursive: true });
  for (const [name, text] of Object.entries(SECRETS)) await writeFile(path.join(home, name), text);
  await mkdir(path.join(repo, ".git"), { recursive: true });
  await writeFile(path.join(repo, ".git", "config"), GIT_CONFIG);
  await mkdir(path.join(repo, "shared"));
  await mkdir(path.join(repo, "stores"));
  await writeFile(
    path.join(repo, "shared", "fine-01.yaml"),
    "code: fine-01\nlinks:\n  SHOP_ONLINE:\n    - https://shop.example.com/fine-01\n",
  );
  // A link inside the repository that leads out of it: followed to its end, then refused.
  await symlink(path.join(home, ".env"), path.join(repo, "shared", "hop.yaml"));
  const links: Record<string, string> = {
    "credentials.yaml": path.join(home, ".git-credentials"),
    "key.yaml": "../../home/id_rsa",
    "netrc.yaml": path.join(home, ".netrc"),
    "env.yaml": path.join(home, ".env"),
    "config.yaml": path.join(home, "config.yaml"),
    "directory.yaml": path.join(home, "dir"),
    "loop-a.yaml": "loop-b.yaml",
    "loop-b.yaml": "loop-a.yaml",
    "dangling.yaml": path.join(home, "missing.yaml"),
    "git-config.yaml": "../.git/config",
    "hop.yaml": "../shared/hop.yaml",
    "fine-01.yaml": "../shared/fine-01.yaml",
  };
  for (const [name, target] of Object.entries(links)) {
    await symlink(target, path.join(repo, "stores", name));
  }
});

afterEach(async () => {
  await rm(top, { recursive: true, force: true });
});

/** Every line of every target, and every 12 characters of each, must be absent from `output`. */
function expectNothingOf(output: string): void {
  const texts = [...Object.values(SECRETS), GIT_CONFIG];
  for (const text of texts) {
    for (const line of text.split("\n")) {
      const trimmed = line.trim();
      if (trimmed.length >= 10 && !trimmed.startsWith("-----"))
        expect(output).not.toContain(trimmed);
    }
    for (let start = 0; start + 12 <= text.length; start++) {
      const window = text.slice(start, start + 12);
      if (/^[\s\S]*[A-Za-z0-9]{4}/.test(window) && !window.includes("\n")) {
        expect(output.includes(window) ? window : undefined).toBeUndefined();
      }
    }
  }
  for (const secret of [
    TOKEN,
    "netrc-Pa55w0rd",
    "pk-live-4b1d9e77c0a2f3",
    "ghp_Zq81",
    "eC1hY2Nlc3M",
    "s3cr3t-path",
    "OPENSSH",
  ]) {
    expect(output).not.toContain(secret);
  }
}

const REFUSED: [string, RegExp][] = [
  ["credentials.yaml", /a symbolic link that leads outside the repository/],
  ["key.yaml", /a symbolic link that leads outside the repository/],
  ["netrc.yaml", /a symbolic link that leads outside the repository/],
  ["env.yaml", /a symbolic link that leads outside the repository/],
  ["config.yaml", /a symbolic link that leads outside the repository/],
  ["directory.yaml", /a symbolic link that leads outside the repository/],
  ["loop-a.yaml", /a loop of symbolic links/],
  ["loop-b.yaml", /a loop of symbolic links/],
  ["dangling.yaml", /a broken symbolic link/],
  ["git-config.yaml", /a symbolic link into the \.git directory/],
  ["hop.yaml", /a symbolic link that leads outside the repository/],
];

describe("a tree of hostile symbolic links", () => {
  test("validate --format github names each link, prints nothing of its target, and keeps the link that stays inside", async () => {
    const result = await runCli(["validate", "--format", "github"], { cwd: repo });
    expect(result.code).toBe(1);
    const output = result.stdout + result.stderr;
    expectNothingOf(output);
    for (const [name, message] of REFUSED) {
      const line = result.stdout.split("\n").find((entry) => entry.includes(`file=stores/${name}`));
      expect(line).toMatch(/^::error file=stores\//);
      expect(line).toMatch(message);
    }
    expect(result.stdout).not.toContain("stores/fine-01.yaml");
    expect(result.stdout).toMatch(/11 errors in 11 of 12 files/);
  });

  test.each(["text", "json", "markdown"])(
    "validate --format %s prints nothing of the targets either",
    async (format) => {
      const result = await runCli(["validate", "--format", format], { cwd: repo });
      expect(result.code).toBe(1);
      expectNothingOf(result.stdout + result.stderr);
      expect(result.stdout).toContain("credentials.yaml");
    },
  );

  test("the offline plan refuses them with the same messages, and prints nothing of the targets", async () => {
    const result = await runCli(["plan", "--format", "github"], { cwd: repo });
    expect(result.code).toBe(1);
    expectNothingOf(result.stdout + result.stderr);
    expect(result.stderr).toContain("stores/credentials.yaml: a symbolic link that leads outside");
  });

  test("a stores directory that is itself a link out of the repository is one line of error", async () => {
    await symlink(path.join(top, "home"), path.join(repo, "elsewhere"));
    const result = await runCli(["validate", "--format", "github", "--stores", "elsewhere"], {
      cwd: repo,
    });
    expect(result.code).toBe(1);
    expectNothingOf(result.stdout + result.stderr);
    expect((result.stdout + result.stderr).trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(
      /elsewhere: the stores directory is a symbolic link that leads outside the repository/,
    );
  });

  test("the repository is the git work tree, found from a subdirectory too", async () => {
    await mkdir(path.join(repo, "deep", "er"), { recursive: true });
    const result = await runCli(["validate", "--stores", "../../stores"], {
      cwd: path.join(repo, "deep", "er"),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "../../stores/credentials.yaml: a symbolic link that leads outside",
    );
    expect(result.stdout).not.toContain("fine-01.yaml:");
  });
});

describe("files that are not links but quote what a secret looks like", () => {
  test("a store file holding a credential is quoted short and masked", async () => {
    await rm(path.join(repo, "stores"), { recursive: true });
    await mkdir(path.join(repo, "stores"));
    await writeFile(path.join(repo, "stores", "pasted-01.yaml"), SECRETS[".git-credentials"]!);
    await writeFile(path.join(repo, "stores", "pasted-02.yaml"), SECRETS["id_rsa"]!);
    await writeFile(
      path.join(repo, "stores", "pasted-03.yaml"),
      `code: pasted-03\nlinks:\n  SHOP_ONLINE: ${TOKEN}\n`,
    );
    await writeFile(path.join(repo, "stores", "pasted-04.yaml"), `${SECRETS[".netrc"]}`);
    const result = await runCli(["validate", "--format", "github"], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain(TOKEN.slice(4));
    expect(result.stdout).not.toContain("b3BlbnNzaC1rZXktdjEAAAAABG5vbmU");
    expect(result.stdout).not.toContain("netrc-Pa55w0rd-7731");
    for (const line of result.stdout.split("\n").filter((entry) => entry.startsWith("::"))) {
      // Every annotation is short: a quote of a file is at most a few dozen characters.
      expect(line.length).toBeLessThan(400);
    }
  });
});

describe("warnings keep validate's exit code", () => {
  test("a host mixing scripts is a ::warning, and the files stay valid", async () => {
    await rm(path.join(repo, "stores"), { recursive: true });
    await mkdir(path.join(repo, "stores"));
    await writeFile(
      path.join(repo, "stores", "mixed-01.yaml"),
      "code: mixed-01\nlinks:\n  SHOP_ONLINE:\n    - https://p\u0430ypal.com/mixed-01\n",
    );
    const result = await runCli(["validate", "--format", "github"], { cwd: repo });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^::warning file=stores\/mixed-01\.yaml,line=4,col=7::.*mixes Latin and Cyrillic letters.*xn--pypal-4ve\.com/m,
    );
    expect(result.stdout).toContain("1 store file valid, 1 warning");
  });
});
