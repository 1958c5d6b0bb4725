/**
 * `--check-links` for validate and plan: the one function their commands call. It picks the
 * URLs to fetch, fetches each distinct one once, and places every finding at the URL's
 * file:line:col (the files are parsed again only for the URLs with something to say).
 */
import path from "node:path";
import type { LinkFinding, LinkReport } from "../core/link-report.js";
import type { DesiredStore, StateDocument } from "../core/model.js";
import { compareIssues } from "../files/issues.js";
import { locateLinks, type StoreLinks } from "../files/link-positions.js";
import { displayPath } from "../files/store-directory.js";
import { packageVersion } from "../package-info.js";
import { createLinkChecker, type LinkCheckerOptions } from "./checker.js";
import { describeOutcome } from "./describe-outcome.js";
import { selectLinksToCheck, type LinkTarget } from "./select-links.js";

export function linkCheckUserAgent(): string {
  return `partoo-links/${packageVersion()} (link check)`;
}

/** What a link check needs of the run: where the store files are, and where to say so. */
export interface LinkCheckContext {
  /** The stores directory, absolute. */
  readonly storesDir: string;
  /** Paths in findings are relative to it. */
  readonly cwd: string;
  log(line: string): void;
  readonly signal?: AbortSignal;
}

export interface LinkCheckRequest {
  readonly scope: "changed" | "all";
  readonly timeoutMs: number;
}

/** Checks the URLs of `stores`: those not in the last-applied state, or every one. */
export async function checkLinks(
  request: LinkCheckRequest,
  context: LinkCheckContext,
  stores: Iterable<DesiredStore>,
  readState: () => Promise<StateDocument>,
  checker: Partial<LinkCheckerOptions> = {},
): Promise<LinkReport> {
  const state = request.scope === "all" ? undefined : await readState();
  const list = [...stores];
  const targets = selectLinksToCheck(list, state);
  const distinct = new Set(targets.map((target) => target.url)).size;
  const which = request.scope === "all" ? "" : " new or changed since the last apply";
  context.log(
    distinct === 0
      ? `Link check: no URL${which}, nothing to fetch`
      : `Checking ${distinct === 1 ? "1 URL" : `${distinct} URLs`}${which}…`,
  );
  const links = createLinkChecker({
    timeoutMs: request.timeoutMs,
    userAgent: linkCheckUserAgent(),
    ...(context.signal === undefined ? {} : { signal: context.signal }),
    ...checker,
  });
  let said: { target: LinkTarget; severity: "error" | "warning"; message: string }[];
  try {
    const outcomes = await Promise.all(targets.map((target) => links.check(target.url)));
    said = targets.flatMap((target, index) => {
      const described = describeOutcome(target, outcomes[index]!);
      return described === undefined ? [] : [{ target, ...described }];
    });
  } finally {
    await links.close();
  }
  const linksOf = new Map(list.map((store) => [store.code, store.links]));
  const findings = placeFindings(said, linksOf, context.storesDir, context.cwd);
  return { scope: request.scope, checked: distinct, findings };
}

function placeFindings(
  said: readonly { target: LinkTarget; severity: "error" | "warning"; message: string }[],
  linksOf: ReadonlyMap<string, StoreLinks>,
  dir: string,
  cwd: string,
): LinkFinding[] {
  const byCode = new Map<string, (typeof said)[number][]>();
  for (const item of said) {
    const group = byCode.get(item.target.code);
    if (group === undefined) byCode.set(item.target.code, [item]);
    else group.push(item);
  }
  const findings: LinkFinding[] = [];
  for (const [code, items] of byCode) {
    const absolute = path.join(dir, `${code}.yaml`);
    const file = displayPath(cwd, absolute);
    const refs = items.map((item) => item.target);
    const positions = locateLinks(absolute, refs, linksOf.get(code) ?? {});
    items.forEach(({ target, severity, message }, index) => {
      const position = positions[index];
      findings.push({ file, ...position, url: target.url, severity, message });
    });
  }
  return findings.sort(compareIssues);
}
