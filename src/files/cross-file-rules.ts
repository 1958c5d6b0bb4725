/** The rules across store files: a code has one file, a business belongs to one store. */
import type { StoreIssue } from "./issues.js";
import type { Position } from "./yaml-positions.js";

export type IdentityField = "code" | "business_id";

/** Where a file declares `field`; only called for the few files that share a value. */
export type LocateField = (file: string, field: IdentityField) => Position | undefined;

type Declared = { file: string; value: string; position?: Position };

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

  /** One error per file that shares its code or business_id with another. */
  issues(locate: LocateField): StoreIssue[] {
    return [
      ...duplicates(
        this.codes.shared(),
        (file) => locate(file, "code"),
        (value, others) =>
          `code ${value} is also used by ${others}; each store has exactly one file, keep one`,
      ),
      ...duplicates(
        this.businessIds.shared(),
        (file) => locate(file, "business_id"),
        (value, others) =>
          `business_id ${value} is also used by ${others}; a business belongs to one store file, remove it from all but one`,
      ),
    ];
  }
}

class ValueIndex {
  private readonly first = new Map<string, string>();
  private readonly groups = new Map<string, Declared[]>();

  add(value: string, file: string): void {
    const first = this.first.get(value);
    if (first === undefined) {
      this.first.set(value, file);
      return;
    }
    const group = this.groups.get(value);
    if (group === undefined)
      this.groups.set(value, [
        { file: first, value },
        { file, value },
      ]);
    else group.push({ file, value });
  }

  /** The values declared by two files or more, with their files in the order added. */
  shared(): ReadonlyMap<string, Declared[]> {
    return this.groups;
  }
}

function duplicates(
  groups: ReadonlyMap<string, Declared[]>,
  locate: (file: string) => Position | undefined,
  message: (value: string, others: string) => string,
): StoreIssue[] {
  const issues: StoreIssue[] = [];
  for (const [value, group] of groups) {
    for (const item of group) {
      const position = locate(item.file);
      if (position !== undefined) item.position = position;
    }
    for (const item of group) {
      const others = group.filter((other) => other !== item).map(location);
      issues.push({
        file: item.file,
        ...item.position,
        message: message(JSON.stringify(value), others.join(", ")),
        severity: "error",
      });
    }
  }
  return issues;
}

function location(item: Declared): string {
  return item.position === undefined
    ? item.file
    : `${item.file}:${item.position.line}:${item.position.column}`;
}
