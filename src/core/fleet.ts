/**
 * The fleet file (SPEC §2a): link templates that stores inherit per type, and their expansion
 * into a store's desired links. Pure: the fleet file is parsed elsewhere (src/files/), and here
 * arrives as plain data with the positions its messages need.
 *
 * Inheritance is per type, never merged inside a type: the store's own list wins, else its
 * profile's, else the defaults'; a type the store sets to null inherits nothing.
 */
import type { DesiredLink, DesiredStore, LinkType } from "./model.js";
import { quoteExcerpt } from "./excerpt.js";

/** Where something stands in a file: 1-based line and column. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface TemplateLink extends SourcePosition {
  readonly template: string;
  readonly preferred: boolean;
}

/** One type's list in the fleet file, at the position of its key. */
export interface TemplateList extends SourcePosition {
  readonly links: readonly TemplateLink[];
}

export interface LinkSet {
  readonly links: ReadonlyMap<LinkType, TemplateList>;
}

export interface Profile extends LinkSet, SourcePosition {}

export interface Fleet {
  /** The fleet file as messages name it, e.g. "partoo-links.yaml". */
  readonly file: string;
  readonly defaults: LinkSet;
  readonly profiles: ReadonlyMap<string, Profile>;
}

/** What a store file says, before inheritance: null types stop inheriting. */
export interface StoreInput {
  readonly code: string;
  readonly businessId?: string;
  readonly profile?: { readonly name: string } & SourcePosition;
  readonly vars: ReadonlyMap<string, string>;
  readonly links: ReadonlyMap<LinkType, readonly DesiredLink[] | null>;
}

/** An inherited type's source: "partoo-links.yaml:4". */
export type LinkOrigins = Readonly<Record<LinkType, string>>;

export interface ExpansionProblem {
  /** Where in the store file the problem shows (the profile key, else the top). */
  readonly at?: SourcePosition | undefined;
  readonly message: string;
}

/** A `TYPE: ~` that stops nothing: the store would not inherit the type anyway. */
export interface NullNote {
  readonly type: LinkType;
  readonly message: string;
}

export type Expansion =
  | {
      /** With `origins` for the types it inherits. */
      readonly store: DesiredStore;
      readonly notes: readonly NullNote[];
      readonly problems?: never;
    }
  | {
      readonly store?: never;
      readonly origins?: never;
      readonly problems: readonly ExpansionProblem[];
    };

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** What may be put into a host name unencoded: one label or several, nothing that ends it. */
const HOST_VALUE = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

type Part = { readonly literal: string } | { readonly name: string; readonly inHost: boolean };

/** A template split once into literal text and placeholders; cached, as 10,000 stores share it. */
interface CompiledTemplate {
  readonly parts: readonly Part[];
  readonly names: readonly string[];
}

const compiled = new Map<string, CompiledTemplate>();

export function compileTemplate(template: string): CompiledTemplate {
  const cached = compiled.get(template);
  if (cached !== undefined) return cached;
  const hostEnd = authorityEnd(template);
  const parts: Part[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const index = match.index;
    if (index > last) parts.push({ literal: template.slice(last, index) });
    const name = match[1]!;
    parts.push({ name, inHost: index < hostEnd });
    names.push(name);
    last = index + match[0].length;
  }
  if (last < template.length) parts.push({ literal: template.slice(last) });
  const result = { parts, names };
  compiled.set(template, result);
  return result;
}

/** The offset where the authority (host and port) of an absolute URL ends. */
function authorityEnd(url: string): number {
  const start = url.indexOf("://");
  if (start === -1) return 0;
  for (let i = start + 3; i < url.length; i++) {
    const char = url[i];
    if (char === "/" || char === "?" || char === "#") return i;
  }
  return url.length;
}

/** The values a store gives its placeholders: its vars, then code and business_id. */
function valueOf(input: StoreInput, name: string): string | undefined {
  if (name === "code") return input.code;
  if (name === "business_id") return input.businessId;
  return input.vars.get(name);
}

type Filled =
  { readonly url: string } | { readonly missing: string } | { readonly badHost: string };

export function fillTemplate(template: string, input: StoreInput): Filled {
  const { parts } = compileTemplate(template);
  let url = "";
  for (const part of parts) {
    if ("literal" in part) {
      url += part.literal;
      continue;
    }
    const value = valueOf(input, part.name);
    if (value === undefined) return { missing: part.name };
    if (part.inHost) {
      if (!HOST_VALUE.test(value)) return { badHost: part.name };
      url += value;
    } else {
      url += encodeURIComponent(value);
    }
  }
  return { url };
}

/** Where a template link stands, for a message (built only then: every store passes by it). */
function linkAt(fleet: Fleet, link: TemplateLink): string {
  return `${fleet.file}:${link.line}:${link.column}`;
}

/** The link set a type is inherited from, with its name for messages. */
function inheritedList(
  type: LinkType,
  fleet: Fleet,
  profile: Profile | undefined,
): TemplateList | undefined {
  return profile?.links.get(type) ?? fleet.defaults.links.get(type);
}

/** Per fleet, per profile (the fleet itself for stores without one): what 10,000 stores share. */
const inheritedTypes = new WeakMap<Fleet, Map<Profile | undefined, readonly LinkType[]>>();

/** The types a store inherits, in a stable order: the defaults', then its profile's. */
function inheritableTypes(fleet: Fleet, profile: Profile | undefined): readonly LinkType[] {
  let byProfile = inheritedTypes.get(fleet);
  if (byProfile === undefined) inheritedTypes.set(fleet, (byProfile = new Map()));
  let types = byProfile.get(profile);
  if (types === undefined) {
    const set = new Set<LinkType>(fleet.defaults.links.keys());
    if (profile !== undefined) for (const type of profile.links.keys()) set.add(type);
    types = [...set];
    byProfile.set(profile, types);
  }
  return types;
}

/**
 * The desired store: the store's own links, plus the types it inherits with their templates
 * filled. `checkUrl` says what is wrong with an expanded URL (the store files' own rule).
 * Without a fleet, the store is its own links (null types dropped).
 */
export function expandStore(
  input: StoreInput,
  fleet: Fleet | undefined,
  checkUrl: (url: string) => string | undefined,
): Expansion {
  const links: Record<LinkType, readonly DesiredLink[]> = {};
  for (const [type, list] of input.links) if (list !== null) links[type] = list;
  const origins: Record<LinkType, string> = {};
  const problems: ExpansionProblem[] = [];
  let inherited = false;
  const base = (): DesiredStore => {
    const { code, businessId } = input;
    if (businessId === undefined) return inherited ? { code, links, origins } : { code, links };
    return inherited ? { code, businessId, links, origins } : { code, businessId, links };
  };

  const notes = (profile: Profile | undefined): NullNote[] => {
    const notes: NullNote[] = [];
    for (const [type, list] of input.links) {
      if (list !== null) continue;
      if (fleet !== undefined && inheritedList(type, fleet, profile) !== undefined) continue;
      const from =
        fleet === undefined
          ? "there is no fleet file to inherit it from"
          : `${fleet.file} gives this store no ${type} list`;
      notes.push({
        type,
        message: `${type}: ~ leaves the type unmanaged, and ${from}; write ${type}: [] to keep it managed and empty, or remove the line`,
      });
    }
    return notes;
  };

  if (fleet === undefined) {
    if (input.profile !== undefined) {
      problems.push({
        at: input.profile,
        message: `profile ${quoteExcerpt(input.profile.name)} needs a fleet file (partoo-links.yaml, or --config FILE) that defines it`,
      });
      return { problems };
    }
    return { store: base(), notes: notes(undefined) };
  }

  let profile: Profile | undefined;
  if (input.profile !== undefined) {
    profile = fleet.profiles.get(input.profile.name);
    if (profile === undefined) {
      const known = [...fleet.profiles.keys()];
      const list = known.length === 0 ? "it defines none" : `it defines ${known.join(", ")}`;
      problems.push({
        at: input.profile,
        message: `profile ${quoteExcerpt(input.profile.name)} is not in ${fleet.file} (${list}); fix the name or add the profile there`,
      });
      return { problems };
    }
  }

  for (const type of inheritableTypes(fleet, profile)) {
    if (input.links.has(type)) continue; // the store's own list, or null: nothing inherited
    const list = inheritedList(type, fleet, profile)!;
    const where = `${fleet.file}:${list.line}`;
    const expanded: DesiredLink[] = [];
    const seen = new Map<string, number>();
    let preferred = 0;
    for (const link of list.links) {
      const filled = fillTemplate(link.template, input);
      if ("missing" in filled) {
        problems.push({
          at: input.profile,
          message: `${type} from ${linkAt(fleet, link)}: this store has no value for {${filled.missing}}; add vars: {${filled.missing}: …} to this file, or give it its own ${type} list`,
        });
        continue;
      }
      if ("badHost" in filled) {
        problems.push({
          at: input.profile,
          message: `${type} from ${linkAt(fleet, link)}: the value of {${filled.badHost}} cannot be part of a host name (letters, digits, dots and hyphens only); change it in vars`,
        });
        continue;
      }
      const problem = checkUrl(filled.url);
      if (problem !== undefined) {
        problems.push({
          at: input.profile,
          message: `${type} from ${linkAt(fleet, link)}: expands to an invalid URL: ${problem}`,
        });
        continue;
      }
      const earlier = seen.get(filled.url);
      if (earlier !== undefined) {
        problems.push({
          at: input.profile,
          message: `${type} from ${where}: lines ${earlier} and ${link.line} both expand to ${quoteExcerpt(filled.url)} for this store; give it its own ${type} list`,
        });
        continue;
      }
      seen.set(filled.url, link.line);
      if (link.preferred) preferred++;
      expanded.push({ url: filled.url, preferred: link.preferred });
    }
    if (preferred > 1) {
      problems.push({
        at: input.profile,
        message: `${type} from ${where} has ${preferred} preferred links; keep one`,
      });
    }
    links[type] = expanded;
    origins[type] = where;
    inherited = true;
  }
  return problems.length > 0 ? { problems } : { store: base(), notes: notes(profile) };
}
