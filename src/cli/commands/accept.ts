/**
 * `partoo-links accept`: the third remedy for drift, next to re-pushing the files and
 * editing them by hand: rewrites the store files so that they match live (comments and
 * layout kept), and with `--pr` proposes them as one pull request. Never writes to Partoo.
 * The work is in src/accept; this file wires the clients, the state and the options to it.
 */
import type { Command, CommandContext } from "../command.js";
import {
  apiUrlOption,
  formatOption,
  onlyOption,
  parseFormat,
  parseOnly,
  rateLimitOption,
  stateOption,
  storesOption,
} from "../options.js";
import { UsageError } from "../../errors.js";
import { businessAddress } from "../../core/model.js";
import { displayPath } from "../../files/store-directory.js";
import { withLinks } from "../../state/document.js";
import { readLiveLinks } from "../../reconcile/read-live.js";
import { publishAcceptPullRequest } from "../../github/accept-pull-request.js";
import { acceptStores } from "../../accept/accept-stores.js";
import { readStoreTargets } from "../../accept/store-files.js";
import { findGitWorkTree } from "../../files/repository.js";
import { driftedStores, renderAccept, renderAcceptMarkdown } from "../../accept/report.js";

const PR_TITLE = "Accept the live place action links into the store files";

export const acceptCommand: Command = {
  name: "accept",
  summary: "rewrite store files to match live (--drifted or --only); --pr opens a pull request",
  description: `Reads the live links of the stores the last drift found drifted (--drifted) or of the
named stores (--only CODE,…) and rewrites their files so that every managed type matches
live, editing each file in place: comments, key order and the shorthand are kept, links
that are not editable are never written, files with nothing to accept are left as they
are. With --pr, also commits the rewritten files to the branch partoo-links/accept
(started at the default branch's head) and opens one pull request, or updates the one
already open (needs GITHUB_TOKEN with contents: write and pull-requests: write).
A store whose file is invalid or whose live links cannot be read is skipped; the others go on.

Exit codes: 0 ok (also: nothing to accept), 1 error (a store was skipped).`,
  options: {
    ...storesOption,
    ...stateOption,
    ...onlyOption,
    ...formatOption(),
    ...apiUrlOption,
    ...rateLimitOption,
    drifted: { type: "boolean", description: "accept the stores the last drift found drifted" },
    pr: {
      type: "boolean",
      description:
        "also commit the files to a branch and open or update one pull request (needs GITHUB_TOKEN, GITHUB_REPOSITORY)",
    },
  },
  run: runAccept,
  wholeFleet: true,
};

async function runAccept({ options, io, services }: CommandContext): Promise<number> {
  const format = parseFormat(options);
  const only = parseOnly(options);
  if ((only === undefined) === (options["drifted"] !== true)) {
    throw new UsageError(
      "accept: give either --drifted (the stores the last drift found drifted) or --only CODE[,CODE…]",
    );
  }
  services.partoo.check("accept");
  // Checked before any file is written, so that a missing token fails the run up front.
  const github = options["pr"] === true ? await services.github("accept --pr") : undefined;
  const read = await services.state().read();
  const chosen = only === undefined ? driftedStores(read) : { codes: [...new Set(only)] };
  if ("nothing" in chosen) {
    const nothing = { accepted: [], unchanged: [], skipped: [], nothing: chosen.nothing };
    io.stdout.write(renderAccept(format, nothing));
    return 0;
  }
  const state = withLinks(read, chosen.codes);

  const dir = services.storesDir;
  const { targets, skipped } = await readStoreTargets(
    dir,
    services.cwd,
    chosen.codes,
    services.log,
  );
  const live = await services.partoo.use("accept", (client) =>
    readLiveLinks(
      client,
      targets.map(({ code, desired }) => ({ code, address: businessAddress(desired) })),
      services.signal === undefined ? {} : { signal: services.signal },
    ),
  );
  const failed = live.failures.map(({ code, message }) => ({ code, reason: message }));
  const outcome = acceptStores(targets, state, live.live, [...skipped, ...failed]);
  for (const store of outcome.accepted) {
    await services.writeFile(store.path, store.text, "write the store file");
  }

  let report = outcome.report;
  if (github !== undefined && outcome.accepted.length > 0) {
    const root = findGitWorkTree(dir) ?? services.actions.workspace;
    const accepted = outcome.accepted.map((store) => store.code);
    // A commit subject stays short: the body of the pull request lists every store.
    const codes = accepted.length <= 5 ? accepted.join(", ") : `${accepted.length} stores`;
    const pull = await publishAcceptPullRequest(github, {
      files: outcome.accepted.map((store) => ({
        path: displayPath(root, store.path),
        content: store.text,
      })),
      title: PR_TITLE,
      body: renderAcceptMarkdown(report),
      commitMessage: `Accept the live links of ${codes}\n\nRewritten by partoo-links accept from the links live on Partoo.`,
    });
    report = {
      ...report,
      pullRequest: { action: pull.action, number: pull.number, url: pull.url },
    };
  }
  io.stdout.write(renderAccept(format, report));
  await services.actions.appendSummary(() => renderAcceptMarkdown(report));
  return report.skipped.length > 0 ? 1 : 0;
}
