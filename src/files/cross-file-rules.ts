/** The rules across store files: a code has one file, a business belongs to one store. */
import type { StoreIssue } from "./issues.js";
import type { Position } from "./yaml-positions.js";

/** What a file declares. */
export interface DeclaredIdentity {
  readonly file: string;
  readonly code: string | undefined;
  readonly businessId: string | undefined;
}

export type IdentityField = "code" | "business_id";

/** Where a file declares `field`; only called for the few files that share a value. */
export type LocateField = (file: string, field: IdentityField) => Position | undefined;

type Declared = { file: string; value: string; position?: Position };

export function duplicateIssues(
  identities: readonly DeclaredIdentity[],
  locate: LocateField,
): StoreIssue[] {
  const codes: Declared[] = [];
  const businessIds: Declared[] = [];
  for (const { file, code, businessId } of identities) {
    if (code !== undefined) codes.push({ file, value: code });
    if (businessId !== undefined) businessIds.push({ file, value: businessId });
  }
  return [
    ...duplicates(
      codes,
      (file) => locate(file, "code"),
      (value, others) =>
        `code ${value} is also used by ${others}; each store has exactly one file, keep one`,
    ),
    ...duplicates(
      businessIds,
      (file) => locate(file, "business_id"),
      (value, others) =>
        `business_id ${value} is also used by ${others}; a business belongs to one store file, remove it from all but one`,
    ),
  ];
}

function duplicates(
  declared: readonly Declared[],
  locate: (file: string) => Position | undefined,
  message: (value: string, others: string) => string,
): StoreIssue[] {
  const byValue = new Map<string, Declared[]>();
  for (const item of declared) {
    const group = byValue.get(item.value);
    if (group === undefined) byValue.set(item.value, [item]);
    else group.push(item);
  }
  const issues: StoreIssue[] = [];
  for (const [value, group] of byValue) {
    if (group.length < 2) continue;
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
