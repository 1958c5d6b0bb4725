/**
 * The rules of one store file that the schema cannot say: code equal to the file name,
 * usable URLs, at most one preferred link per type, no URL twice in a type. They run on
 * whatever was parsed, even when the schema found problems elsewhere, so that one run
 * reports every error of the file.
 */
import type { DesiredLink } from "../core/model.js";
import type { StoreInput } from "../core/fleet.js";
import {
  isPlainObject,
  linkLabel,
  typeLabel,
  type Finding,
  type SourceLookup,
} from "./findings.js";
import { urlIdentity, urlProblem, urlWarning } from "../core/link-url.js";
import { isValidStoreCode as isValidCode } from "../core/store-code.js";
import { quoteExcerpt } from "../core/excerpt.js";
import type { ValuePath } from "./yaml-positions.js";

export function storeRuleFindings(data: unknown, expectedCode: string): Finding[] {
  if (!isPlainObject(data)) return [];
  const findings: Finding[] = [];
  const code = data["code"];
  if (typeof code === "string" && isValidCode(code) && code !== expectedCode) {
    const fix = isValidCode(expectedCode)
      ? `rename the file to ${code}.yaml or write code: ${expectedCode}`
      : `rename the file to ${code}.yaml`;
    findings.push({
      path: ["code"],
      target: "value",
      message: `code ${quoteExcerpt(code)} does not match the file name ${expectedCode}.yaml; ${fix}`,
    });
  }
  const links = data["links"];
  if (isPlainObject(links)) {
    for (const [type, list] of Object.entries(links)) {
      if (Array.isArray(list)) findings.push(...linkListFindings(type, list));
    }
  }
  return findings;
}

function linkListFindings(type: string, list: readonly unknown[]): Finding[] {
  const findings: Finding[] = [];
  // Indexes, not paths: a valid list (the common case) allocates as little as possible.
  const preferred: number[] = [];
  const firstSeen = new Map<string, number>();
  const urlPath = (index: number): ValuePath =>
    isPlainObject(list[index]) ? ["links", type, index, "url"] : ["links", type, index];
  for (let index = 0; index < list.length; index++) {
    const item = list[index];
    const object = isPlainObject(item);
    const url = object ? item["url"] : item;
    if (typeof url !== "string") continue;
    const problem = urlProblem(url);
    if (problem !== undefined) {
      findings.push({
        path: urlPath(index),
        target: "value",
        message: `${linkLabel(type, index)}: ${problem}`,
      });
    } else {
      const warning = urlWarning(url);
      if (warning !== undefined) {
        findings.push({
          path: urlPath(index),
          target: "value",
          message: `${linkLabel(type, index)}: ${warning}`,
          severity: "warning",
        });
      }
    }
    if (object && item["preferred"] === true) preferred.push(index);
    const identity = urlIdentity(url);
    const earlier = firstSeen.get(identity);
    if (earlier === undefined) {
      firstSeen.set(identity, index);
      continue;
    }
    const path = urlPath(index);
    findings.push({
      path,
      target: "value",
      message: ({ lineOf }: SourceLookup) =>
        `${typeLabel(type)} lists ${quoteExcerpt(url, 80)} twice (lines ${lineOf(urlPath(earlier), "value")} and ${lineOf(path, "value")}); remove one`,
    });
  }
  if (preferred.length > 1) {
    const preferredPath = (index: number): ValuePath => ["links", type, index, "preferred"];
    findings.push({
      path: preferredPath(preferred[1]!),
      target: "key",
      message: ({ lineOf }: SourceLookup) => {
        const lines = preferred.map((index) => lineOf(preferredPath(index), "key"));
        const count = preferred.length === 2 ? "two" : String(preferred.length);
        return `${typeLabel(type)} has ${count} preferred links (lines ${listed(lines)}); keep one`;
      },
    });
  }
  return findings;
}

/** "7 and 9", "7, 9 and 11". */
function listed(items: readonly number[]): string {
  if (items.length < 2) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * What a valid file says, before the fleet file is applied: shorthand URLs expanded,
 * `preferred` defaulting to false, `TYPE: ~` kept as null (it stops inheriting).
 */
export function storeInputOf(data: Record<string, unknown>): Omit<StoreInput, "profile"> {
  const links = new Map<string, DesiredLink[] | null>();
  for (const [type, list] of Object.entries(data["links"] as Record<string, unknown[] | null>)) {
    links.set(
      type,
      list === null
        ? null
        : list.map((item) =>
            typeof item === "string"
              ? { url: detached(item), preferred: false }
              : {
                  url: detached((item as { url: string }).url),
                  preferred: (item as { preferred?: boolean }).preferred === true,
                },
          ),
    );
  }
  const vars = new Map(
    Object.entries((data["vars"] as Record<string, string> | undefined) ?? {}).map(
      ([name, value]) => [name, detached(value)],
    ),
  );
  const code = detached(data["code"] as string);
  const businessId = data["business_id"];
  return typeof businessId === "string"
    ? { code, businessId: detached(businessId), vars, links }
    : { code, vars, links };
}

/**
 * A copy of a string that shares nothing with the text it was parsed from. yaml cuts scalars
 * out of the file's text, and V8 may keep such a cut as a view of the whole text: the stores
 * of a 20,000-store apply would hold every file they were read from (11 MB) for the run.
 */
function detached(value: string): string {
  return JSON.parse(JSON.stringify(value)) as string;
}
