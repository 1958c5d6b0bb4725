/**
 * Accepting live into several store files: each through acceptStore, each result checked
 * to load back as a valid store file before it may be written. Pure.
 */
import type { DesiredStore, LiveLinks, StateDocument } from "../core/model.js";
import { compareCodes } from "../core/select.js";
import { formatIssue } from "../files/index.js";
import { parseStoreText } from "../files/parse-store.js";
import { acceptStore } from "./accept-store.js";
import type { AcceptedFile, AcceptReport, AcceptSkip } from "./report.js";

/** A store file read for accepting: where it is, its text, and the store it describes. */
export interface StoreFileTarget {
  readonly code: string;
  /** As messages show it. */
  readonly file: string;
  /** Absolute path. */
  readonly path: string;
  readonly text: string;
  readonly desired: DesiredStore;
}

export interface AcceptedText extends AcceptedFile {
  readonly path: string;
  /** The whole new text of the file. */
  readonly text: string;
}

export interface AcceptOutcome {
  readonly accepted: readonly AcceptedText[];
  readonly report: AcceptReport;
}

/** `skipped` holds the stores already given up (invalid file, failed read); a target without live is skipped too. */
export function acceptStores(
  targets: readonly StoreFileTarget[],
  state: StateDocument,
  live: ReadonlyMap<string, LiveLinks>,
  skipped: readonly AcceptSkip[],
): AcceptOutcome {
  const accepted: AcceptedText[] = [];
  const unchanged: string[] = [];
  const skips = [...skipped];
  for (const target of targets) {
    const links = live.get(target.code);
    if (links === undefined) continue;
    const result = acceptStore({ ...target, record: state.stores[target.code], live: links });
    if (result.changes.length === 0) {
      unchanged.push(target.code);
      continue;
    }
    // What is written must load back as a valid store file, or it is not written at all.
    const check = parseStoreText(result.text, target.file, target.code);
    const error = check.issues.find((issue) => issue.severity === "error");
    if (error !== undefined) {
      skips.push({
        code: target.code,
        reason: `its live links do not make a valid store file (${formatIssue(error)}); fix the link in Partoo first`,
      });
      continue;
    }
    const { code, file, path } = target;
    accepted.push({
      code,
      file,
      path,
      text: result.text,
      changes: result.changes,
      warnings: result.warnings,
    });
  }
  accepted.sort((a, b) => compareCodes(a.code, b.code));
  return {
    accepted,
    report: {
      accepted: accepted.map(({ code, file, changes, warnings }) => ({
        code,
        file,
        changes,
        warnings,
      })),
      unchanged: unchanged.sort(compareCodes),
      skipped: skips.sort((a, b) => compareCodes(a.code, b.code)),
    },
  };
}
