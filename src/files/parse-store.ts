/**
 * One store file's text to a DesiredStore, or to every problem found in it, each with its
 * line and column. Pure: no file system (the schema is read once per process). An ordinary
 * file with nothing to report takes the fast path (check-store-fast.ts); the others are
 * parsed here with yaml's positions, which every message needs.
 */
import { isMap, parseDocument } from "yaml";
import type { DesiredStore } from "../core/model.js";
import {
  MAX_ALIAS_EXPANSION,
  MAX_FILE_BYTES,
  MAX_FILE_ISSUES,
  MAX_YAML_ERRORS,
  NESTING_CHECK_MIN_CHARS,
} from "./limits.js";
import {
  capIssues,
  firstAliasOffset,
  firstLine,
  keyIssues,
  structureIssues,
  TOO_DEEP,
  tooDeepOffset,
  yamlIssues,
} from "./yaml-issues.js";
import { hasErrors, type StoreIssue } from "./issues.js";
import { escapeUnsafe } from "../core/excerpt.js";
import { isPlainObject, type Finding, type SourceLookup } from "./findings.js";
import { schemaErrors } from "./schema-errors.js";
import { schemaFindings } from "./schema-messages.js";
import { storeInputOf, storeRuleFindings } from "./store-rules.js";
import { expandStore, type Fleet } from "../core/fleet.js";
import { urlProblem } from "../core/link-url.js";
import { tooLargeIssue } from "./decode-text.js";
import { LineIndex, offsetOf, positionAt, sourceOf, type Position } from "./yaml-positions.js";
import { checkStoreFast, type ParsedStore } from "./check-store-fast.js";

export type { ParsedStore };

export const PARSE_OPTIONS = {
  prettyErrors: false,
  // Not "silent": that level also drops the error for a second document.
  logLevel: "error",
  // Checked by keyIssues instead: yaml's own check is quadratic in the keys of a map.
  uniqueKeys: false,
  version: "1.2",
  schema: "core",
} as const;

/** Parses and checks one store file. `file` names it in messages; `expectedCode` is its name without .yaml. */
export function parseStoreText(
  text: string,
  file: string,
  expectedCode: string,
  fleet?: Fleet,
): { store?: DesiredStore; issues: StoreIssue[] } {
  const { store, issues } = parseStore(text, file, expectedCode, fleet);
  return store === undefined ? { issues } : { store, issues };
}

/** `fleet`: the fleet file the store inherits from (SPEC §2a), when there is one. */
export function parseStore(
  text: string,
  file: string,
  expectedCode: string,
  fleet?: Fleet,
): ParsedStore {
  return guarded(
    file,
    () => checkStoreFast(text, expectedCode, fleet) ?? checkStore(text, file, expectedCode, fleet),
  );
}

/** parseStore without the fast path: for a file the fast path already left to this one. */
export function parseStoreFully(
  text: string,
  file: string,
  expectedCode: string,
  fleet?: Fleet,
): ParsedStore {
  return guarded(file, () => checkStore(text, file, expectedCode, fleet));
}

function guarded(file: string, check: () => ParsedStore): ParsedStore {
  try {
    return check();
  } catch (error) {
    // No input may crash a run: a failure here is a bug, reported on the file it concerns.
    return {
      issues: [
        {
          file,
          severity: "error",
          message: `internal error while checking this file (${firstLine(error)}); this is a bug in partoo-links, please report it with the file`,
        },
      ],
    };
  }
}

function checkStore(
  text: string,
  file: string,
  expectedCode: string,
  fleet: Fleet | undefined,
): ParsedStore {
  if (text.length > MAX_FILE_BYTES) return { issues: [tooLargeIssue(file, text.length)] };
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let lines: LineIndex | undefined;
  const locate = (offset: number): Position => (lines ??= new LineIndex(source)).at(offset);
  const issue = (offset: number, message: string): StoreIssue => ({
    file,
    ...locate(offset),
    message: oneLine(message),
    severity: "error",
  });

  if (source.length >= NESTING_CHECK_MIN_CHARS) {
    const deep = tooDeepOffset(source);
    if (deep !== undefined) return { issues: [issue(deep, TOO_DEEP)] };
  }
  const document = parseWithoutStacks(source);
  const keyProblems = keyIssues(document, issue);
  if (document.errors.length > 0 || document.warnings.length > 0 || keyProblems.length > 0) {
    return { issues: yamlIssues(document, source, issue, keyProblems) };
  }
  if (document.contents === null) {
    return {
      issues: [
        {
          file,
          severity: "error",
          message: `the file is empty; a store file needs code and links, e.g. code: ${expectedCode}`,
        },
      ],
    };
  }
  // Tags and aliases can only be present if these characters are: most files skip the walk.
  if (/[!*]/.test(source)) {
    const structural = structureIssues(document, source, issue);
    if (structural.length > 0) {
      return { issues: capIssues(structural, MAX_YAML_ERRORS, "tags and aliases") };
    }
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch (error) {
    // yaml refuses aliases that expand to too much data (an alias bomb).
    return {
      issues: [
        issue(
          firstAliasOffset(document),
          `the aliases of this file expand to too much data (${firstLine(error)}); write the values out instead`,
        ),
      ],
    };
  }

  const fromSchema = schemaFindings(schemaErrors(data), data, expectedCode, MAX_FILE_ISSUES + 1);
  const allFindings: Finding[] = [...fromSchema, ...storeRuleFindings(data, expectedCode)];
  // Placing a finding searches the document: only those listed (and the next) are placed.
  const findings = allFindings.slice(0, MAX_FILE_ISSUES + 1);
  const lookup: SourceLookup = {
    lineOf: (path, target) => locate(offsetOf(document, path, target)).line,
    sourceOf: (path) => sourceOf(document, path),
  };
  const placed = findings.map((finding) => {
    const placedIssue = issue(
      offsetOf(document, finding.path, finding.target),
      typeof finding.message === "string" ? finding.message : finding.message(lookup),
    );
    return finding.severity === undefined
      ? placedIssue
      : { ...placedIssue, severity: finding.severity };
  });
  // Past the limit, the schema's findings are not all described: how many more is unknown.
  const total = fromSchema.length > MAX_FILE_ISSUES ? undefined : allFindings.length;
  const issues = capIssues(placed, MAX_FILE_ISSUES, "problems", total);
  const parsed: ParsedStore = { issues };
  if (isPlainObject(data)) {
    if (typeof data["code"] === "string") parsed.code = data["code"];
    if (typeof data["business_id"] === "string") parsed.businessId = data["business_id"];
  }
  if (!hasErrors(issues) && isPlainObject(data)) {
    const profile = data["profile"];
    const input = {
      ...storeInputOf(data),
      ...(typeof profile === "string"
        ? { profile: { name: profile, ...locate(offsetOf(document, ["profile"], "value")) } }
        : {}),
    };
    const expansion = expandStore(input, fleet, urlProblem);
    if (expansion.problems !== undefined) {
      for (const problem of expansion.problems) {
        // Inherited links have no line in the store file: the profile, else links:, hosts them.
        const at = problem.at ?? locate(offsetOf(document, ["links"], "key"));
        issues.push({
          file,
          line: at.line,
          column: at.column,
          message: oneLine(problem.message),
          severity: "error",
        });
      }
    } else {
      for (const note of expansion.notes) {
        issues.push({
          file,
          ...locate(offsetOf(document, ["links", note.type], "key")),
          message: oneLine(note.message),
          severity: "warning",
        });
      }
      parsed.store = expansion.store;
    }
  }
  return parsed;
}

/**
 * Messages quote the file (a type name, a value): its line breaks, other control characters
 * and invisible formatting characters are shown escaped, so that a message stays on one
 * line of a terminal or log and reads as it is.
 */
const oneLine = escapeUnsafe;

/** yaml builds an Error per problem it meets; capturing 100,000 stack traces takes seconds. */
function parseWithoutStacks(source: string) {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseDocument(source, PARSE_OPTIONS);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The line and column of a top-level field's value, or undefined when the text has none. */
export function locateField(text: string, field: string): Position | undefined {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const document = parseDocument(source, PARSE_OPTIONS);
  if (!isMap(document.contents) || !document.contents.has(field)) return undefined;
  return positionAt(source, offsetOf(document, [field], "value"));
}
