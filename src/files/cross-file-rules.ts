/** The rules across store files: a code has one file, a business belongs to one store. */
import type { StoreIssue } from "./issues.js";
import type { Position } from "./yaml-positions.js";
import { quoteExcerpt } from "../core/excerpt.js";

export type IdentityField = "code" | "business_id";

/** Where a file declares `field`; only called for the few files a message shows. */
export type LocateField = (file: string, field: IdentityField) => Position | undefined;

/** Files a duplicate's message names; the others are counted. */
export const MAX_FILES_SHOWN = 5;

export interface IdentityIssues {
  /** One error per value declared by several files, on the first of them. */
  readonly issues: StoreIssue[];
  /** Every file that shares a value with another: all of them are invalid. */
  readonly files: ReadonlySet<string>;
}

/**
 * What each file declares, fed file by file: every file of a large fleet at each command,
 * where values almost never repeat. One Map entry per value; a group only for a repeated one.
 */
export class DeclaredIdentities {
  private readonly codes = new ValueIndex();
  private readonly businessIds = new ValueIndex();

  add(file: string, code: string | undefined, businessId: string | undefined): void {
    if (code !== undefined) this.codes.add(code, file);
    if (businessId !== undefined) this.businessIds.add(businessId, file);
  }

  /** Whether any value is declared by two files or more (issues then locates some of them). */
  anyShared(): boolean {
    return this.codes.shared().size > 0 || this.businessIds.shared().size > 0;
  }

  /**
   * One error per shared value, naming a few of the files and counting the rest: 3,000
   * files of one code make one line, not 3,000 lines that each list 2,999 files.
   */
  issues(locate: LocateField): IdentityIssues {
    const files = new Set<string>();
    const issues = [
      ...duplicates(
        this.codes.shared(),
        (file) => locate(file, "code"),
        files,
        (value, others) =>
          `code ${value} is also used by ${others}; each store has exactly one file, keep one`,
      ),
      ...duplicates(
        this.businessIds.shared(),
        (file) => locate(file, "business_id"),
        files,
        (value, others) =>
          `business_id ${value} is also used by ${others}; a business belongs to one store file, remove it from all but one`,
      ),
    ];
    return { issues, files };
  }
}

class ValueIndex {
  private readonly first = new Map<string, string>();
  private readonly groups = new Map<string, string[]>();

  add(value: string, file: string): void {
    const first = this.first.get(value);
    if (first === undefined) {
      this.first.set(value, file);
      return;
    }
    const group = this.groups.get(value);
    if (group === undefined) this.groups.set(value, [first, file]);
    else group.push(file);
  }

  /** The values declared by two files or more, with their files in the order added. */
  shared(): ReadonlyMap<string, readonly string[]> {
    return this.groups;
  }
}

function duplicates(
  groups: ReadonlyMap<string, readonly string[]>,
  locate: (file: string) => Position | undefined,
  invalid: Set<string>,
  message: (value: string, others: string) => string,
): StoreIssue[] {
  const issues: StoreIssue[] = [];
  for (const [value, group] of groups) {
    for (const file of group) invalid.add(file);
    const [first, ...others] = [...group].sort();
    const shown = others.slice(0, MAX_FILES_SHOWN - 1).map((file) => location(file, locate(file)));
    const hidden = others.length - shown.length;
    const list =
      others.length === 1
        ? shown[0]!
        : `${others.length.toLocaleString("en-US")} other files: ${shown.join(", ")}${hidden > 0 ? ` and ${hidden.toLocaleString("en-US")} more` : ""}`;
    issues.push({
      file: first!,
      ...locate(first!),
      message: message(quoteExcerpt(value), list),
      severity: "error",
    });
  }
  return issues;
}

function location(file: string, position: Position | undefined): string {
  return position === undefined ? file : `${file}:${position.line}:${position.column}`;
}
