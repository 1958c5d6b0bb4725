/**
 * Checking a POST place_action_links body against a business's links, with Partoo's
 * documented semantics (partoo-api.md): per type present in the body, a URL without id
 * creates, one with an existing id updates, links left out are deleted, `urls: []` clears.
 * Refused (400, Partoo's nested error shape): an unknown type, a type twice, two preferred
 * links, a URL twice in a type, an unknown id, a malformed body.
 *
 * Non-editable links: the API's behaviour is an assumption. The emulator refuses a body
 * that leaves one out or changes its value or preference (what partoo-links must never
 * do); re-sending it unchanged with its id is accepted.
 */
import { bodyList, isRecord as isObject, type BodyShape } from "./api-doc.js";

export interface StoredLink {
  id: number;
  value: string;
  is_preferred: boolean;
  is_editable: boolean;
}

/** A validation failure: where in the body (Partoo nests messages by field) and what. */
export interface FieldError {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface WriteRules {
  /** The body shape accepted (default "array", the seed document's). */
  readonly shape?: BodyShape;
  /** Types Google refuses for this business, with Google's error code. */
  readonly refusals?: ReadonlyMap<string, string>;
}

/**
 * The new list of each type in the body (links to create have id 0), or the errors that
 * refuse the whole body.
 */
export function planWrite(
  current: ReadonlyMap<string, readonly StoredLink[]>,
  body: unknown,
  types: ReadonlySet<string>,
  rules: WriteRules = {},
): { plans: Map<string, StoredLink[]>; errors: FieldError[] } {
  const shape = rules.shape ?? "array";
  const refusals = rules.refusals ?? new Map<string, string>();
  const plans = new Map<string, StoredLink[]>();
  const list = bodyList(body, shape);
  if (list === undefined) {
    const message =
      shape === "array"
        ? "Invalid input type: expected a list of place action links."
        : 'Invalid input type: expected {"place_action_links": [...]}.';
    return { plans, errors: [{ path: ["_schema"], message }] };
  }
  const errors: FieldError[] = [];
  list.forEach((entry, i) => {
    const plan = planType(current, types, entry, [i], errors);
    if (plan !== undefined && plan.links.length > 0 && refusals.has(plan.type)) {
      // How Partoo passes Google's refusal on is not documented: a 400 naming the code.
      const message = `${refusals.get(plan.type)}: Google refused the place action type ${plan.type} for this location.`;
      errors.push({ path: [i, "gmb_id"], message });
    }
    if (plan === undefined) return;
    if (plans.has(plan.type)) {
      errors.push({ path: [i, "gmb_id"], message: `${plan.type} appears twice in the body.` });
    }
    plans.set(plan.type, plan.links);
  });
  return { plans, errors };
}

/** Checks one `{gmb_id, urls}` of a body; returns the type's new links (id 0: to create). */
function planType(
  current: ReadonlyMap<string, readonly StoredLink[]>,
  types: ReadonlySet<string>,
  entry: unknown,
  at: (string | number)[],
  errors: FieldError[],
): { type: string; links: StoredLink[] } | undefined {
  const before = errors.length;
  const fail = (path: (string | number)[], message: string) => {
    errors.push({ path: [...at, ...path], message });
    return undefined;
  };
  if (!isObject(entry)) return fail([], "Invalid input type: expected an object.");
  for (const key of Object.keys(entry)) {
    if (key !== "gmb_id" && key !== "urls") fail([key], "Unknown field.");
  }
  const type = entry["gmb_id"];
  if (typeof type !== "string") return fail(["gmb_id"], "Missing data for required field.");
  if (!types.has(type)) {
    return fail(
      ["gmb_id"],
      `Unknown place action type ${type}; must be one of ${[...types].join(", ")}.`,
    );
  }
  const urls = entry["urls"];
  if (!Array.isArray(urls))
    return fail(["urls"], "Missing data for required field: a list of urls.");
  const existing = new Map((current.get(type) ?? []).map((link) => [link.id, link]));
  const links: StoredLink[] = [];
  urls.forEach((url: unknown, j) => {
    const link = checkUrl(url, existing, type, (path, message) =>
      fail(["urls", j, ...path], message),
    );
    if (link === undefined) return;
    if (link.id !== 0 && links.some((other) => other.id === link.id)) {
      fail(["urls", j, "id"], `Link ${link.id} appears twice.`);
    }
    links.push(link);
  });
  if (errors.length > before) return undefined;
  if (links.filter((link) => link.is_preferred).length > 1) {
    fail(
      ["urls"],
      `More than one preferred link for ${type}; at most one link per type can be preferred.`,
    );
  }
  const values = links.map((link) => link.value);
  const duplicate = values.find((value, k) => values.indexOf(value) !== k);
  if (duplicate !== undefined) fail(["urls"], `Duplicate URL ${duplicate} for ${type}.`);
  for (const link of existing.values()) {
    if (!link.is_editable && !links.some((kept) => kept.id === link.id)) {
      fail(
        ["urls"],
        `Link ${link.id} of ${type} is not editable and cannot be deleted; send it unchanged with its id.`,
      );
    }
  }
  return errors.length > before ? undefined : { type, links };
}

/** One URL object of a write: a kept/updated link, or a new one (id 0), or undefined after reporting. */
function checkUrl(
  url: unknown,
  existing: ReadonlyMap<number, StoredLink>,
  type: string,
  fail: (path: (string | number)[], message: string) => undefined,
): StoredLink | undefined {
  if (!isObject(url)) return fail([], "Invalid input type: expected an object.");
  for (const key of Object.keys(url)) {
    if (key !== "id" && key !== "value" && key !== "is_preferred")
      return fail([key], "Unknown field.");
  }
  const { id, value, is_preferred: preferred } = url;
  if (typeof value !== "string") return fail(["value"], "Missing data for required field.");
  if (!isHttpUrl(value)) return fail(["value"], "Not a valid URL.");
  if (typeof preferred !== "boolean")
    return fail(["is_preferred"], "Missing data for required field: a boolean.");
  if (id === undefined) return { id: 0, value, is_preferred: preferred, is_editable: true };
  if (typeof id !== "number" || !Number.isInteger(id)) return fail(["id"], "Not a valid integer.");
  const current = existing.get(id);
  if (current === undefined)
    return fail(["id"], `Unknown link id ${id} for ${type} of this business.`);
  if (!current.is_editable && (current.value !== value || current.is_preferred !== preferred)) {
    return fail([], `Link ${id} of ${type} is not editable and cannot be changed.`);
  }
  return { ...current, value, is_preferred: preferred };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.host !== "";
  } catch {
    return false;
  }
}

/**
 * Field errors as Partoo nests them: `{"0": {"urls": {"1": {"id": ["…"]}}}}`. A path may hold
 * a client's field name (`__proto__`, `constructor`): nodes have no prototype to reach.
 */
export function nestErrors(errors: readonly FieldError[]): Record<string, unknown> {
  const root = bare();
  for (const { path, message } of errors) {
    let node = root;
    for (const key of path) {
      const child = Object.hasOwn(node, String(key)) ? node[String(key)] : undefined;
      if (isObject(child)) {
        node = child;
      } else {
        const next = bare();
        node[String(key)] = next;
        node = next;
      }
    }
    const previous = Object.hasOwn(node, "_messages") ? node["_messages"] : undefined;
    const messages = Array.isArray(previous) ? (previous as string[]) : [];
    node["_messages"] = [...messages, message];
  }
  return collapse(root) as Record<string, unknown>;
}

/** Turns `{_messages: [...]}` leaves into plain lists, as marshmallow-style errors are. */
function collapse(node: Record<string, unknown>): unknown {
  const entries = Object.entries(node).filter(([key]) => key !== "_messages");
  const messages = Object.hasOwn(node, "_messages") ? (node["_messages"] as string[]) : undefined;
  if (entries.length === 0) return messages ?? [];
  const result = bare();
  if (messages !== undefined) result["_schema"] = messages;
  for (const [key, value] of entries) result[key] = collapse(value as Record<string, unknown>);
  return result;
}

function bare(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}
