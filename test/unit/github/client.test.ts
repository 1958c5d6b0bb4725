import {
  DEFAULT_GITHUB_API_URL,
  createGithubClient,
  githubClientOptionsFromEnv,
} from "../../../src/github/client.js";
import { UsageError } from "../../../src/errors.js";

const token = "ghs_unitTESTtoken0123456789";

test("the client reads owner, repository and API URL, trimming a trailing slash", () => {
  const client = createGithubClient({
    token,
    repository: "acme/stores.v2",
    apiUrl: "https://ghe.example.com/api/v3/",
  });
  expect(client).toMatchObject({
    owner: "acme",
    repo: "stores.v2",
    apiUrl: "https://ghe.example.com/api/v3",
  });
});

test("the API URL defaults to api.github.com", () => {
  expect(createGithubClient({ token, repository: "a/b" }).apiUrl).toBe(DEFAULT_GITHUB_API_URL);
  expect(createGithubClient({ token, repository: "a/b", apiUrl: "" }).apiUrl).toBe(
    DEFAULT_GITHUB_API_URL,
  );
});

test("the options come from GitHub Actions' variables", () => {
  expect(
    githubClientOptionsFromEnv({
      GITHUB_TOKEN: token,
      GITHUB_REPOSITORY: "acme/stores",
      GITHUB_API_URL: "https://api.github.com",
      OTHER: "x",
    }),
  ).toEqual({ token, repository: "acme/stores", apiUrl: "https://api.github.com" });
});

test("a missing token is a usage error naming the flag and GITHUB_TOKEN", () => {
  for (const missing of [undefined, "", "  "]) {
    expect(() =>
      createGithubClient({ token: missing, repository: "a/b", purpose: "plan --comment" }),
    ).toThrow(
      new UsageError(
        'plan --comment calls the GitHub API: set GITHUB_TOKEN, e.g. "env: GITHUB_TOKEN: ${{ github.token }}" in the workflow step',
      ),
    );
  }
});

test("a GITHUB_REPOSITORY that is not owner/repo is a usage error", () => {
  for (const repository of [
    undefined,
    "",
    "acme",
    "acme/",
    "/stores",
    "a/b/c",
    "ac me/stores",
    "-acme/stores",
  ]) {
    expect(() => createGithubClient({ token, repository })).toThrow(
      /^GITHUB_REPOSITORY .*: expected "owner\/repo"/,
    );
  }
});

test("a GITHUB_API_URL that is not an http(s) URL is a usage error without the token", () => {
  expect(() => createGithubClient({ token, repository: "a/b", apiUrl: "api.github.com" })).toThrow(
    "GITHUB_API_URL api.github.com: not a URL; expected e.g. https://api.github.com",
  );
  expect(() => createGithubClient({ token, repository: "a/b", apiUrl: "ftp://x" })).toThrow(
    /expected an http\(s\) URL/,
  );
  expect(() =>
    createGithubClient({ token, repository: "a/b", apiUrl: `https://x:${token}@ghe.example.com` }),
  ).toThrow(
    new UsageError("GITHUB_API_URL: credentials in the URL are not supported; use GITHUB_TOKEN"),
  );
});
