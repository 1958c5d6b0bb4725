/** What validate adds to the store files' problems: the offline lints, and --check-links. */
import type { CliIO, OptionValues } from "../cli/command.js";
import { stringOption } from "../cli/options.js";
import { compareIssues } from "../files/issues.js";
import type { LoadResult } from "../files/load-stores.js";
import { lintStoreLinks } from "../files/lints.js";
import { openStateBackend } from "../state/open.js";
import { checkLinksIfAsked } from "./run-link-check.js";

/** `result` with the lints' warnings and the link check's findings among its issues. */
export async function withLinkIssues(
  result: LoadResult,
  options: OptionValues,
  io: CliIO,
): Promise<LoadResult> {
  const lints = lintStoreLinks(result.stores, io.cwd);
  const report = await checkLinksIfAsked(
    options,
    io,
    result.stores.map((loaded) => loaded.store),
    () => openStateBackend(stringOption(options, "state"), io.cwd, io.env).read(),
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
