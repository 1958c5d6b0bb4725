/**
 * The fleet file's text (partoo-links.yaml, SPEC §2a) to the Fleet the core expands stores
 * with, or to every problem found in it, each with its line and column. Pure but for the
 * schema, read once per process.
 */
import { readFileSync } from "node:fs";
import { parseDocument, type Document } from "yaml";
import type { ErrorObject } from "ajv";
import type { Fleet, LinkSet, Profile, TemplateLink, TemplateList } from "../core/fleet.js";
import { didYouMean } from "../core/suggest.js";
import { quoteExcerpt } from "../core/excerpt.js";
import { schemaPath } from "../package-info.js";
import { validateConfig } from "../generated/config.js";
import {
  MAX_ALIAS_EXPANSION,
  MAX_FILE_BYTES,
  MAX_FILE_ISSUES,
  NESTING_CHECK_MIN_CHARS,
} from "./limits.js";
import {
  capIssues,
  keyIssues,
  structureIssues,
  TOO_DEEP,
  tooDeepOffset,
  yamlIssues,
} from "./yaml-issues.js";
import { hasErrors, type StoreIssue } from "./issues.js";
import { describeValue, isPlainObject } from "./findings.js";
import { tooLargeIssue } from "./decode-text.js";
import { resolvePath } from "./schema-messages.js";
import { LineIndex, offsetOf, type Position, type ValuePath } from "./yaml-positions.js";

export const CONFIG_SCHEMA_FILE = "config.schema.json";

const PARSE_OPTIONS = {
  prettyErrors: false,
  logLevel: "error",
  uniqueKeys: false,
  version: "1.2",
  schema: "core",
} as const;

/** The keys each level of the fleet file may hold, for "did you mean". */
const KEYS: Readonly<Record<string, readonly string[]>> = {
  top: ["defaults", "profiles", "caps"],
  linkSet: ["links"],
  link: ["url", "preferred"],
  caps: ["max_stores", "max_deleted_links"],
};

let schemaTypes: readonly string[] | undefined;

/** The place action types of the schema (its validator is generated from it: npm run generate). */
function placeActionTypes(): readonly string[] {
  schemaTypes ??= JSON.parse(readFileSync(schemaPath(CONFIG_SCHEMA_FILE), "utf8")).$defs
    .placeActionType.enum as string[];
  return schemaTypes;
}

export interface ParsedFleet {
  readonly fleet?: Fleet;
  readonly issues: StoreIssue[];
  /** The fleet file's caps (SPEC: flags override them). */
  readonly caps?: { readonly maxStores?: number; readonly maxDeletedLinks?: number };
}

/** Parses and checks the fleet file; `file` names it in messages. */
export function parseFleetText(text: string, file: string): ParsedFleet {
  if (text.length > MAX_FILE_BYTES) return { issues: [tooLargeIssue(file, text.length)] };
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(source);
  const locate = (offset: number): Position => lines.at(offset);
  const issue = (offset: number, message: string): StoreIssue => ({
    file,
    ...locate(offset),
    message: message.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, " "), // eslint-disable-line no-control-regex
    severity: "error",
  });
  if (source.length >= NESTING_CHECK_MIN_CHARS) {
    const deep = tooDeepOffset(source);
    if (deep !== undefined) return { issues: [issue(deep, TOO_DEEP)] };
  }
  const document = parseDocument(source, PARSE_OPTIONS);
  const keyProblems = keyIssues(document, issue);
  if (document.errors.length > 0 || document.warnings.length > 0 || keyProblems.length > 0) {
    return { issues: yamlIssues(document, source, issue, keyProblems) };
  }
  if (document.contents === null) return { fleet: emptyFleet(file), issues: [] };
  const structural = structureIssues(document, source, issue);
  if (structural.length > 0) return { issues: structural };
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch {
    return {
      issues: [
        issue(0, "the aliases of this file expand to too much data; write the values out instead"),
      ],
    };
  }
  const at = (path: ValuePath, target: "key" | "value", message: string) =>
    issue(offsetOf(document, path, target), message);
  if (!validateConfig(data)) {
    const errors = validateConfig.errors ?? [];
    const types = placeActionTypes();
    // A misspelled required key shows as unknown: say that, not also that the key is missing.
    const unknownIn = new Set(
      errors.filter((e) => e.keyword === "additionalProperties").map((e) => e.instancePath),
    );
    const issues = errors
      .filter((e) => e.propertyName === undefined || e.keyword === "propertyNames")
      .filter((e) => e.keyword !== "required" || !unknownIn.has(e.instancePath))
      .flatMap((error) => describe(error, data, types, at));
    const unique = [
      ...new Map(
        issues.map((item) => [`${item.line}:${item.column}:${item.message}`, item]),
      ).values(),
    ];
    return { issues: capIssues(unique, MAX_FILE_ISSUES, "problems") };
  }
  const fleet = buildFleet(data as FleetData, document, file, locate);
  const caps = (data as FleetData).caps;
  const issues = templateIssues(fleet);
  if (hasErrors(issues)) return { issues };
  return {
    fleet,
    issues,
    ...(caps === undefined
      ? {}
      : {
          caps: {
            ...(caps.max_stores === undefined ? {} : { maxStores: caps.max_stores }),
            ...(caps.max_deleted_links === undefined
              ? {}
              : { maxDeletedLinks: caps.max_deleted_links }),
          },
        }),
  };
}

export function emptyFleet(file: string): Fleet {
  return { file, defaults: { links: new Map() }, profiles: new Map() };
}

type TemplateItem = string | { url: string; preferred?: boolean };
interface LinkSetData {
  links: Record<string, TemplateItem[]>;
}
interface FleetData {
  defaults?: LinkSetData;
  profiles?: Record<string, LinkSetData>;
  caps?: { max_stores?: number; max_deleted_links?: number };
}

function buildFleet(
  data: FleetData,
  document: Document,
  file: string,
  locate: (offset: number) => Position,
): Fleet {
  const position = (path: ValuePath, target: "key" | "value") =>
    locate(offsetOf(document, path, target));
  const linkSet = (set: LinkSetData | undefined, base: ValuePath): LinkSet => {
    const links = new Map<string, TemplateList>();
    for (const [type, items] of Object.entries(set?.links ?? {})) {
      const listPath = [...base, "links", type];
      links.set(type, {
        ...position(listPath, "key"),
        links: items.map((item, index): TemplateLink => {
          const isObject = typeof item !== "string";
          const at = position(
            isObject ? [...listPath, index, "url"] : [...listPath, index],
            "value",
          );
          return {
            template: isObject ? item.url : item,
            preferred: isObject && item.preferred === true,
            ...at,
          };
        }),
      });
    }
    return { links };
  };
  const profiles = new Map<string, Profile>();
  for (const [name, set] of Object.entries(data.profiles ?? {})) {
    profiles.set(name, {
      ...linkSet(set, ["profiles", name]),
      ...position(["profiles", name], "key"),
    });
  }
  return { file, defaults: linkSet(data.defaults, ["defaults"]), profiles };
}

/** Template problems every store would share: found once here, not once per store. */
function templateIssues(fleet: Fleet): StoreIssue[] {
  const issues: StoreIssue[] = [];
  const sets: [string, LinkSet][] = [
    ["defaults", fleet.defaults],
    ...[...fleet.profiles].map(([name, set]): [string, LinkSet] => [`profile ${name}`, set]),
  ];
  for (const [where, set] of sets) {
    for (const [type, list] of set.links) {
      const preferred = list.links.filter((link) => link.preferred);
      if (preferred.length > 1) {
        issues.push({
          file: fleet.file,
          line: preferred[1]!.line,
          column: preferred[1]!.column,
          severity: "error",
          message: `${type} of ${where} has ${preferred.length} preferred links (lines ${preferred.map((link) => link.line).join(", ")}); keep one`,
        });
      }
      const seen = new Map<string, number>();
      for (const link of list.links) {
        const earlier = seen.get(link.template);
        if (earlier !== undefined) {
          issues.push({
            file: fleet.file,
            line: link.line,
            column: link.column,
            severity: "error",
            message: `${type} of ${where} lists ${quoteExcerpt(link.template)} twice (lines ${earlier} and ${link.line}); remove one`,
          });
        }
        seen.set(link.template, link.line);
      }
    }
  }
  return issues;
}

function describe(
  error: ErrorObject,
  data: unknown,
  types: readonly string[],
  at: (path: ValuePath, target: "key" | "value", message: string) => StoreIssue,
): StoreIssue[] {
  const { path, value } = resolvePath(data, error.instancePath);
  const level = levelOf(path);
  const where = path.length === 0 ? "the fleet file" : path.join(".");
  // A link is a template or a mapping: only the branch that fits the value speaks.
  const wanted = (error.params as { type?: string }).type;
  if (typeof path[path.length - 1] === "number") {
    if (isPlainObject(value) && error.keyword === "type" && wanted === "string") return [];
    if (typeof value === "string" && (wanted === "object" || error.keyword === "required"))
      return [];
  }
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = KEYS[level] ?? [];
      return [
        at(
          [...path, key],
          "key",
          `unknown key ${quoteExcerpt(key)}${didYouMean(key, known)}; ${where} may hold ${known.join(", ")}`,
        ),
      ];
    }
    case "propertyNames": {
      const name = String((error.params as { propertyName: string }).propertyName);
      if (path[path.length - 1] === "links") {
        return [
          at(
            [...path, name],
            "key",
            `unknown place action type ${quoteExcerpt(name)}${didYouMean(name, types)}; known types: ${types.join(", ")}`,
          ),
        ];
      }
      return [
        at(
          [...path, name],
          "key",
          `profile name ${quoteExcerpt(name)} is not valid; use letters, digits, . _ - (starting with a letter or digit)`,
        ),
      ];
    }
    case "required":
      return [
        at(
          path,
          "value",
          `${where} needs ${String((error.params as { missingProperty: string }).missingProperty)}:`,
        ),
      ];
    case "pattern":
    case "maxLength":
      return [
        at(
          path,
          "value",
          `${describeValue(value)} is not a URL template; write an https:// URL without whitespace (at most 2,048 characters), e.g. https://order.example.com/{code}`,
        ),
      ];
    case "anyOf":
      // Its branches' own errors say more, except for a value that is neither text nor mapping.
      return typeof value === "string" || isPlainObject(value)
        ? []
        : [
            at(
              path,
              "value",
              `${describeValue(value)} is not a link; write a URL template or {url: …, preferred: true}`,
            ),
          ];
    case "type":
    case "minimum":
      return [
        at(
          path,
          "value",
          `${where} must be ${describeExpected(error)}, not ${describeValue(value)}`,
        ),
      ];
    default:
      return [at(path, "value", `${where}: ${error.message ?? "invalid"}`)];
  }
}

function describeExpected(error: ErrorObject): string {
  if (error.keyword === "minimum") return "a whole number of at least 0";
  const type = String((error.params as { type: string }).type);
  return (
    {
      object: "a mapping",
      array: "a list",
      string: "text",
      boolean: "true or false",
      integer: "a whole number",
    }[type] ?? type
  );
}

/** Which set of keys a path's mapping has. */
function levelOf(path: ValuePath): string {
  if (path.length === 0) return "top";
  if (path[0] === "caps") return "caps";
  if (typeof path[path.length - 1] === "number") return "link";
  return "linkSet";
}
