/**
 * Turns ajv's errors on a store into messages that say what is wrong and what to write
 * instead. The schema's shape is known here (a store has code, business_id and links; a
 * link is a URL or {url, preferred}), so each error gets a message of its own.
 */
import type { ErrorObject } from "ajv";
import { didYouMean } from "../core/suggest.js";
import { describeValue, isPlainObject, linkLabel, typeLabel, type Finding } from "./findings.js";
import { placeActionTypes } from "./store-schema.js";
import { quoteUrl, urlProblem } from "../core/link-url.js";
import { quoteExcerpt } from "../core/excerpt.js";
import type { ValuePath } from "./yaml-positions.js";

const STORE_KEYS = ["code", "business_id", "profile", "vars", "links"];
const LINK_KEYS = ["url", "preferred"];

/**
 * The path of an ajv instancePath (array indexes as numbers, mapping keys as text) and the
 * value there; only a key the mapping holds itself is followed (never `__proto__`'s target).
 */
export function resolvePath(
  data: unknown,
  instancePath: string,
): { path: ValuePath; value: unknown } {
  const path: (string | number)[] = [];
  let value = data;
  if (instancePath === "") return { path, value };
  for (const raw of instancePath.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(value)) {
      const index = Number(segment);
      path.push(index);
      value = value[index];
    } else {
      path.push(segment);
      value = isPlainObject(value) && Object.hasOwn(value, segment) ? value[segment] : undefined;
    }
  }
  return { path, value };
}

/** The findings of ajv's errors, the first `limit` of them: a bad file may have 100,000. */
export function schemaFindings(
  errors: readonly ErrorObject[],
  data: unknown,
  expectedCode: string,
  limit = Infinity,
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (findings.length >= limit) break;
    const { path, value } = resolvePath(data, error.instancePath);
    const finding = describeError(error, path, value, expectedCode);
    if (finding === undefined) continue;
    const key = `${JSON.stringify(finding.path)}\0${String(finding.message)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

function describeError(
  error: ErrorObject,
  path: ValuePath,
  value: unknown,
  expectedCode: string,
): Finding | undefined {
  const at = (message: string, target: "key" | "value" = "value"): Finding => ({
    path,
    target,
    message,
  });
  const [first, type, index, field] = path;

  if (error.keyword === "additionalProperties") {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const where = path.length === 0 ? STORE_KEYS : LINK_KEYS;
    const context =
      path.length === 0
        ? "a store has code, business_id, profile, vars and links"
        : `a link has url and preferred`;
    const inLink = path.length === 0 ? "" : ` in ${linkLabel(String(type), Number(index))}`;
    return {
      path: [...path, key],
      target: "key",
      message: `unknown key ${quoteExcerpt(key)}${inLink}${didYouMean(key, where)}; ${context}`,
    };
  }
  if (error.keyword === "required") {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    if (path.length === 0 && missing === "code")
      return at(`code is missing; add code: ${expectedCode}`);
    if (path.length === 0) {
      return at(
        "links is missing; add links: with the place action types to manage (links: {} manages none)",
      );
    }
    return at(`${linkLabel(String(type), Number(index))} has no url; add url: https://…`);
  }

  if (path.length === 0) {
    return at(
      `a store file must be a mapping with code and links, not ${describeValue(value)}; start it with code: ${expectedCode}`,
    );
  }
  if (first === "code" || first === "business_id") return describeIdError(error, first, value);
  if (first === "profile" || first === "vars") return describeFleetFieldError(error, path, value);
  if (error.keyword === "propertyNames") {
    const name = String((error.params as { propertyName: string }).propertyName);
    const types = placeActionTypes();
    return {
      path: ["links", name],
      target: "key",
      message: `unknown place action type ${quoteExcerpt(name)}${didYouMean(name, types)}; use one of ${types.join(", ")}`,
    };
  }
  // The enum error that comes with each propertyNames error says the same thing.
  if (error.keyword === "enum" && path.length === 1) return undefined;
  if (path.length === 1) return describeLinksError(value, at);
  if (path.length === 2) return describeListError(String(type), value, at);
  if (path.length === 3) return describeLinkError(error, String(type), Number(index), value, at);
  return describeLinkFieldError(error, String(type), Number(index), String(field), value, at);
}

function describeIdError(error: ErrorObject, name: string, value: unknown): Finding {
  const at = (message: Finding["message"]): Finding => ({ path: [name], target: "value", message });
  if (value === null || value === "")
    return at(`${name} is empty; write ${name}: followed by its value`);
  if (typeof value === "number" || typeof value === "boolean") {
    // YAML reads 5409e35 as a number: quote what the file says, not the number it became.
    return at(({ sourceOf }) => {
      const written = quoteExcerpt(sourceOf([name]) ?? String(value));
      return `${name} must be text, but YAML reads ${written.slice(1, -1)} as a ${typeof value}; put it in quotes: ${name}: ${written}`;
    });
  }
  if (typeof value !== "string") return at(`${name} must be text, not ${describeValue(value)}`);
  if (error.keyword === "maxLength") {
    return at(`${name} is ${value.length} characters long; at most 100 are allowed`);
  }
  if (name === "business_id") {
    return at(
      `business_id ${quoteExcerpt(value)} is not a Partoo business id (letters, digits, "_" and "-"); copy it from Partoo`,
    );
  }
  if (value.includes("..")) return at(`code ${quoteExcerpt(value)} must not contain ".."`);
  return at(
    `code ${quoteExcerpt(value)} may only contain letters, digits, ".", "_" and "-", starting with a letter or digit; use the store code from Partoo`,
  );
}

function describeLinksError(value: unknown, at: (message: string) => Finding): Finding {
  if (value === null) {
    return at(
      "links is empty; list place action types under it, or write links: {} to manage none",
    );
  }
  return at(
    `links must be a mapping of place action types (e.g. SHOP_ONLINE:), not ${describeValue(value)}`,
  );
}

function describeListError(
  type: string,
  value: unknown,
  at: (message: string) => Finding,
): Finding {
  if (value === null) {
    return at(
      `${typeLabel(type)} has no list; write ${typeLabel(type)}: [] to keep the type managed and empty, or remove the line`,
    );
  }
  if (typeof value === "string") {
    return at(
      `${typeLabel(type)} must be a list of links; write the URL on the next line as "- ${quoteExcerpt(value, 80).slice(1, -1)}"`,
    );
  }
  return at(
    `${typeLabel(type)} must be a list of links, not ${describeValue(value)}; start each link with "- "`,
  );
}

function describeLinkError(
  error: ErrorObject,
  type: string,
  index: number,
  value: unknown,
  at: (message: string) => Finding,
): Finding | undefined {
  const label = linkLabel(type, index);
  if (typeof value === "string") {
    // The URL branch of anyOf: the store rules explain bad URLs; keep a plain message only
    // for a URL that they would let through.
    if (error.keyword !== "pattern" && error.keyword !== "maxLength") return undefined;
    return urlProblem(value) === undefined
      ? at(`${label}: URL ${quoteUrl(value)} is not a valid https:// URL`)
      : undefined;
  }
  if (isPlainObject(value)) return undefined; // errors of the {url, preferred} branch come with their own paths
  return at(
    `${label} must be a URL or a mapping with url and preferred, not ${describeValue(value)}`,
  );
}

function describeLinkFieldError(
  error: ErrorObject,
  type: string,
  index: number,
  field: string,
  value: unknown,
  at: (message: string) => Finding,
): Finding | undefined {
  const label = linkLabel(type, index);
  if (field === "preferred") {
    return at(`${label}: preferred must be true or false, not ${describeValue(value)}`);
  }
  if (typeof value !== "string") {
    return at(`${label}: url must be an https:// URL, not ${describeValue(value)}`);
  }
  if (error.keyword !== "pattern" && error.keyword !== "maxLength") return undefined;
  return urlProblem(value) === undefined
    ? at(`${label}: URL ${quoteUrl(value)} is not a valid https:// URL`)
    : undefined;
}

/** `profile:` and `vars:`, the store's side of the fleet file (SPEC §2a). */
function describeFleetFieldError(
  error: ErrorObject,
  path: ValuePath,
  value: unknown,
): Finding | undefined {
  const [first, name] = path;
  if (first === "profile") {
    return {
      path,
      target: "value",
      message:
        typeof value === "string"
          ? `profile ${JSON.stringify(value)} is not a profile name (letters, digits, ".", "_" and "-", starting with a letter or digit)`
          : `profile must be the name of a profile of the fleet file, not ${describeValue(value)}`,
    };
  }
  if (error.keyword === "propertyNames" || error.propertyName !== undefined) {
    if (error.keyword !== "propertyNames") return undefined; // said by the propertyNames error
    const key = String((error.params as { propertyName: string }).propertyName);
    const builtIn = key === "code" || key === "business_id";
    return {
      path: ["vars", key],
      target: "key",
      message: builtIn
        ? `vars.${key}: {${key}} is filled from the store's own ${key}; remove it from vars`
        : `vars.${key}: a placeholder name is letters, digits and "_", starting with a letter or "_"`,
    };
  }
  if (path.length === 1)
    return {
      path,
      target: "value",
      message: `vars must be a mapping of names to text, not ${describeValue(value)}`,
    };
  if (error.keyword === "maxLength")
    return {
      path,
      target: "value",
      message: `vars.${String(name)} is over 500 characters; shorten it`,
    };
  return {
    path,
    target: "value",
    message: `vars.${String(name)} must be text, not ${describeValue(value)}; put it in quotes`,
  };
}
