/**
 * The drift issue: one open issue, found by its label among the issues the token's own
 * identity opened, and opened, updated or closed as drift comes and goes. Anyone can open an
 * issue with the label: such an issue is never updated, closed or commented on.
 */
import type { GithubClient } from "./client.js";
import { callGithub, requestStatus } from "./errors.js";
import { sameLogin, tokenLogin } from "./identity.js";
import { GITHUB_BODY_LIMIT, fitMarkdown } from "./limits.js";
import type { DriftIssueReport, DriftIssueResult, IssueRef } from "./types.js";

const WRITE = "issues: write";
const READ = "issues: read";
const LABEL_COLOR = "d93f0b";
const LABEL_DESCRIPTION = "Live place action links differ from the store files (partoo-links)";
/** How to resolve the drift either way: shown at the end of every drift issue. */
export const HOW_TO_RESOLVE =
  "\n\n---\n**To accept what is live into the store files**, run the Drift workflow by hand (Actions → Drift → Run workflow) with **accept** ticked: it opens one pull request that rewrites the drifted store files to match live (`partoo-links accept --drifted --pr`). **To restore the links of the files instead**, tick **self\\_heal** (`apply --repair`).\n";
const DEFAULT_RESOLVED =
  "The latest drift check found live links matching the store files again: closing.";

interface OpenIssue extends IssueRef {
  readonly title: string;
  readonly body: string;
  readonly author: string | undefined;
}

export async function syncDriftIssue(
  client: GithubClient,
  label: string,
  report: DriftIssueReport,
): Promise<DriftIssueResult> {
  const open = await ownIssues(client, await findOpenIssues(client, label));
  const [current, ...duplicates] = open;
  if (!report.drifting) {
    if (current === undefined) return { action: "none" };
    for (const issue of open) {
      await closeIssue(client, issue, report.resolvedComment ?? DEFAULT_RESOLVED, "completed");
    }
    return { action: "closed", issue: ref(current) };
  }
  const body =
    fitMarkdown(report.body, { limit: GITHUB_BODY_LIMIT - HOW_TO_RESOLVE.length }) + HOW_TO_RESOLVE;
  if (current === undefined) {
    await ensureLabel(client, label);
    return { action: "opened", issue: await openIssue(client, label, report.title, body) };
  }
  // More than one open (an older version, or a label added by hand): keep the oldest.
  for (const duplicate of duplicates) {
    await closeIssue(client, duplicate, `Superseded by #${current.number}.`, "not_planned");
  }
  if (current.title === report.title && current.body === body) {
    return { action: "unchanged", issue: ref(current) };
  }
  const { octokit, owner, repo } = client;
  await callGithub({ what: `updating drift issue #${current.number}`, permission: WRITE }, () =>
    octokit.rest.issues.update({
      owner,
      repo,
      issue_number: current.number,
      title: report.title,
      body,
    }),
  );
  return { action: "updated", issue: ref(current) };
}

function ref(issue: IssueRef): IssueRef {
  return { number: issue.number, url: issue.url };
}

/** The issues opened by the token's own identity; whom it acts as is asked only when there are some to check. */
async function ownIssues(client: GithubClient, issues: readonly OpenIssue[]): Promise<OpenIssue[]> {
  if (issues.length === 0) return [];
  const login = await tokenLogin(client);
  return issues.filter((issue) => sameLogin(issue.author, login));
}

/** Open issues (not pull requests) with the label, oldest first, across all pages. */
async function findOpenIssues(client: GithubClient, label: string): Promise<OpenIssue[]> {
  const { octokit, owner, repo } = client;
  return callGithub(
    { what: `looking for the open "${label}" issue`, permission: READ },
    async () => {
      const found: OpenIssue[] = [];
      const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
        owner,
        repo,
        state: "open",
        labels: label,
        per_page: 100,
      });
      for await (const { data } of pages) {
        for (const issue of data) {
          if (issue.pull_request !== undefined) continue;
          found.push({
            number: issue.number,
            url: issue.html_url,
            title: issue.title,
            body: issue.body ?? "",
            author: issue.user?.login,
          });
        }
      }
      return found.sort((a, b) => a.number - b.number);
    },
  );
}

async function ensureLabel(client: GithubClient, label: string): Promise<void> {
  const { octokit, owner, repo } = client;
  await callGithub({ what: `creating the "${label}" label`, permission: WRITE }, async () => {
    try {
      await octokit.rest.issues.getLabel({ owner, repo, name: label });
      return;
    } catch (error) {
      if (requestStatus(error) !== 404) throw error;
    }
    try {
      await octokit.rest.issues.createLabel({
        owner,
        repo,
        name: label,
        color: LABEL_COLOR,
        description: LABEL_DESCRIPTION,
      });
    } catch (error) {
      // 422 already_exists: another run created it in between.
      if (requestStatus(error) !== 422) throw error;
    }
  });
}

async function openIssue(
  client: GithubClient,
  label: string,
  title: string,
  body: string,
): Promise<IssueRef> {
  const { octokit, owner, repo } = client;
  const { data } = await callGithub({ what: "opening the drift issue", permission: WRITE }, () =>
    octokit.rest.issues.create({ owner, repo, title, body, labels: [label] }),
  );
  return { number: data.number, url: data.html_url };
}

async function closeIssue(
  client: GithubClient,
  issue: IssueRef,
  comment: string,
  reason: "completed" | "not_planned",
): Promise<void> {
  const { octokit, owner, repo } = client;
  await callGithub(
    { what: `closing drift issue #${issue.number}`, permission: WRITE },
    async () => {
      await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: issue.number,
        body: fitMarkdown(comment, { limit: GITHUB_BODY_LIMIT }),
      });
      await octokit.rest.issues.update({
        owner,
        repo,
        issue_number: issue.number,
        state: "closed",
        state_reason: reason,
      });
    },
  );
}
