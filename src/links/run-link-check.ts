/**
 * `--check-links` for validate and plan: the one function their commands call. It picks the
 * URLs to fetch, fetches each distinct one once, and places every finding at the URL's
 * file:line:col (the files are parsed again only for the URLs with something to say).
 */
import path from "node:path";
import type { CliIO, OptionValues } from "../cli/command.js";
import { storesDir } from "../cli/options.js";
import type { LinkFinding, LinkReport } from "../core/link-report.js";
import type { DesiredStore, StateDocument } from "../core/model.js";
import { compareIssues } from "../files/issues.js";
import { locateLinks, type StoreLinks } from "../files/link-positions.js";
import { displayPath } from "../files/store-directory.js";
import { packageVersion } from "../package-info.js";
import { createLinkChecker, type LinkCheckerOptions } from "./checker.js";
import { describeOutcome } from "./describe-outcome.js";
import { parseCheckLinks } from "./options.js";
import { selectLinksToCheck, type LinkTarget } from "./select-links.js";

export function linkCheckUserAgent(): string {
  return `partoo-links/${packageVersion()} (link check)`;
}

/** The link report of --check-links, or undefined when the flag is absent (nothing is sent). */
export async function checkLinksIfAsked(
  options: OptionValues,
  io: CliIO,
  stores: Iterable<DesiredStore>,
  readState: () => Promise<StateDocument>,
  checker: Partial<LinkCheckerOptions> = {},
): Promise<LinkReport | undefined> {
  const request = parseCheckLinks(options);
  if (request === undefined) return undefined;
  const state = request.scope === "all" ? undefined : await readState();
  const list = [...stores];
  const targets = selectLinksToCheck(list, state);
  const distinct = new Set(targets.map((target) => target.url)).size;
  const which = request.scope === "all" ? "" : " new or changed since the last apply";
  io.stderr.write(
    distinct === 0
      ? `Link check: no URL${which}, nothing to fetch\n`
      : `Checking ${distinct === 1 ? "1 URL" : `${distinct} URLs`}${which}…\n`,
  );
  const links = createLinkChecker({
    timeoutMs: request.timeoutMs,
    userAgent: linkCheckUserAgent(),
    ...(io.signal === undefined ? {} : { signal: io.signal }),
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
  const findings = placeFindings(said, linksOf, storesDir(options, io.cwd), io.cwd);
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
