/**
 * Who the token acts as. partoo-links only ever takes a comment or an issue for its own when
 * this identity wrote it: anyone can post a comment that starts with the hidden marker, or
 * open an issue with the drift label.
 */
import type { GithubClient } from "./client.js";
import { callGithub, requestStatus } from "./errors.js";

/** The bot GITHUB_TOKEN acts as. */
export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

const VIEWER_QUERY = "query { viewer { login } }";

/**
 * The login of the token's identity: the authenticated user for a personal or OAuth token;
 * for an installation token (GITHUB_TOKEN, a GitHub App's), which `GET /user` refuses with
 * 403, the app's bot, `<app-slug>[bot]`, as GraphQL's viewer names it.
 */
export async function tokenLogin(client: GithubClient): Promise<string> {
  const { octokit } = client;
  const action = {
    what: "finding which account the token belongs to",
    permission: "metadata: read",
  };
  const user = await callGithub(action, async () => {
    try {
      return (await octokit.rest.users.getAuthenticated()).data.login;
    } catch (error) {
      if (requestStatus(error) === 403) return undefined;
      throw error;
    }
  });
  if (user !== undefined) return user;
  let viewer: string | undefined;
  try {
    const data = await octokit.graphql<{ viewer?: { login?: unknown } }>(VIEWER_QUERY);
    viewer = typeof data.viewer?.login === "string" ? data.viewer.login : undefined;
  } catch {
    viewer = undefined;
  }
  // An installation token always acts as a bot; the REST API spells bots "<slug>[bot]".
  // Without an answer, the installation token in a workflow is GITHUB_TOKEN's.
  if (viewer === undefined || viewer === "") return ACTIONS_BOT_LOGIN;
  return viewer.endsWith("[bot]") ? viewer : `${viewer}[bot]`;
}

/** GitHub logins are case-insensitive. */
export function sameLogin(a: string | undefined | null, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}
