/**
 * Secrets at the CLI's boundary: the key and the GitHub token never reach stdout or stderr,
 * even in --debug's cause chain, and credentials in --api-url / GITHUB_API_URL are stripped
 * before the URL is echoed.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createGithubClient } from "../../src/github/client.js";
import { QUICK_RETRY_FACTORIES, runCli } from "../helpers/cli.js";
import { seed, seedBusiness, startTestEmulator, type TestEmulator } from "../helpers/emulator.js";
import { startFakeGithub, type FakeGithub } from "../helpers/fake-github.js";

/** A token of no known GitHub shape: only redaction by value can catch it. */
const ODD_TOKEN = "enterprise-Tok3n-0123456789-xyz";
const PASSWORD = "hunter2-Secret-Pass";

let dir: string;
let emu: TestEmulator | undefined;
let github: FakeGithub | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "partoo-secrets-cli-"));
  await mkdir(path.join(dir, "stores"));
  await writeFile(
    path.join(dir, "stores", "paris-01.yaml"),
    "code: paris-01\nlinks:\n  SHOP_ONLINE: []\n",
  );
});

afterEach(async () => {
  await emu?.close();
  await github?.close();
  emu = undefined;
  github = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe("credentials in an API URL are never echoed", () => {
  test.each([
    [`https://user:${PASSWORD}@[not-a-host/v2`, /--api-url https:\/\/\[not-a-host\/v2: not a URL/],
    [
      `ftp://user:${PASSWORD}@api.example/v2`,
      /--api-url ftp:\/\/api\.example\/v2: expected an http/,
    ],
    [
      `http://user:${PASSWORD}@127.0.0.1:1/v2`,
      /cannot reach Partoo at http:\/\/127\.0\.0\.1:1\/v2 /,
    ],
  ])("--api-url %s", async (apiUrl, message) => {
    for (const debug of [[], ["--debug"]]) {
      const result = await runCli(["plan", "--live", "--api-url", apiUrl, ...debug], {
        cwd: dir,
        env: { PARTOO_API_KEY: "pk-0123456789abcdef" },
        // The unreachable one retries first: what is echoed matters here, not the backoff.
        factories: QUICK_RETRY_FACTORIES,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
      expect(result.stdout + result.stderr).not.toContain("user:");
    }
  });

  test.each([`https://x:${PASSWORD}@[bad`, `file://x:${PASSWORD}@host/api`])(
    "GITHUB_API_URL %s",
    (apiUrl) => {
      let message = "";
      try {
        createGithubClient({ token: "t", repository: "o/r", apiUrl, purpose: "test" });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^GITHUB_API_URL /);
      expect(message).not.toContain(PASSWORD);
    },
  );
});

describe("the GitHub token is redacted by value", () => {
  test("in the one-line error and in --debug's cause chain, whatever its shape", async () => {
    emu = await startTestEmulator({ seed: seed(seedBusiness("paris-01")) });
    github = await startFakeGithub({ token: ODD_TOKEN });
    github.fail({ path: /issues/, status: 422, message: `proxy says: ${ODD_TOKEN} is bad` });
    const result = await runCli(["drift", "--issue", "--debug", "--state", "file:state.json"], {
      cwd: dir,
      env: {
        ...emu.env,
        GITHUB_TOKEN: ODD_TOKEN,
        GITHUB_REPOSITORY: github.repository,
        GITHUB_API_URL: github.url,
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/proxy says: \[REDACTED\] is bad/);
    expect(result.stderr).toMatch(/Caused by: /);
    expect(result.stdout + result.stderr).not.toContain(ODD_TOKEN);
  });

  test("and the Partoo key too, when a value of it is pasted where it is echoed", async () => {
    const key = "pk-live-0123456789abcdef";
    const result = await runCli(["plan", "--live", "--api-url", key, "--debug"], {
      cwd: dir,
      env: { PARTOO_API_KEY: key },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--api-url [REDACTED]: not a URL");
    expect(result.stdout + result.stderr).not.toContain(key);
  });
});

describe("a key too short to be redacted is refused before any request", () => {
  test.each([["drift"], ["plan", "--live"], ["apply"], ["import", "--all"]])(
    "%s",
    async (...args) => {
      emu = await startTestEmulator({ seed: seed(seedBusiness("paris-01")), apiKey: undefined });
      const result = await runCli([...args, "--state", "file:state.json"], {
        cwd: dir,
        env: { ...emu.env, PARTOO_API_KEY: "abc" },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        "partoo-links: PARTOO_API_KEY is 3 characters long; Partoo keys are longer (at least 8): copy the key again from Partoo\n",
      );
      expect(emu.emulator.requests).toHaveLength(0);
      await emu.close();
      emu = undefined;
    },
  );
});
