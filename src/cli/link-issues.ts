/**
 * The link check as validate and plan run it: --check-links parsed, the URLs fetched only
 * when it is given (nothing is sent otherwise), and for validate, the offline lints and the
 * findings among the store files' issues.
 */
import type { OptionValues } from "./io.js";
import type { Services } from "./services.js";
import type { LinkReport } from "../core/link-report.js";
import type { DesiredStore, StateDocument } from "../core/model.js";
import { compareIssues } from "../files/issues.js";
import type { LoadResult } from "../files/load-stores.js";
import { lintStoreLinks } from "../files/lints.js";
import { parseCheckLinks } from "./link-options.js";

/** The link report of --check-links, or undefined when the flag is absent. */
export async function checkLinksIfAsked(
  options: OptionValues,
  services: Services,
  stores: Iterable<DesiredStore>,
  readState: () => Promise<StateDocument>,
): Promise<LinkReport | undefined> {
  const request = parseCheckLinks(options);
  if (request === undefined) return undefined;
  // The checker loads undici: only when links are to be checked.
  const { checkLinks } = await import("../links/run-link-check.js");
  return checkLinks(request, services, stores, readState);
}

/** `result` with the lints' warnings and the link check's findings among its issues. */
export async function withLinkIssues(
  result: LoadResult,
  options: OptionValues,
  services: Services,
): Promise<LoadResult> {
  const lints = await lintStoreLinks(result.stores, services.cwd);
  const report = await checkLinksIfAsked(
    options,
    services,
    result.stores.map((loaded) => loaded.store),
    () => services.state().read(),
  );
  const found = report?.findings ?? [];
  if (lints.length === 0 && found.length === 0) return result;
  const issues = [
    ...result.issues,
    ...lints,
    ...found.map(({ file, line, column, severity, message }) => ({
      file,
      ...(line === undefined ? {} : { line }),
      ...(column === undefined ? {} : { column }),
      severity,
      message,
    })),
  ];
  // As for any error, a file with a broken link is counted as invalid, not as loaded.
  const broken = new Set(found.filter((f) => f.severity === "error").map((f) => f.file));
  const stores = result.stores.filter((loaded) => !broken.has(loaded.file));
  const invalidFiles = new Set([...(result.invalidFiles ?? []), ...broken]);
  return { ...result, stores, issues: issues.sort(compareIssues), invalidFiles };
}
