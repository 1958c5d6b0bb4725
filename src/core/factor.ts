/**
 * `import --all --factor`: finds the link patterns most stores share, so that an imported
 * fleet starts with a fleet file (SPEC §2a) and thin store files. Pure.
 *
 * A store's URL becomes a template by writing `{code}` where the store's code stands in its
 * path, query or fragment (never in the host: a code may hold characters a host cannot).
 * Expanding `{code}` inserts the code as it is (codes are A-Z a-z 0-9 . _ -, which
 * percent-encoding leaves alone), so every template expands back to the exact URL: the
 * factored fleet means the same links as the files it replaces.
 */
import type { DesiredLink, LinkType } from "./model.js";

export interface TemplateEntry {
  readonly template: string;
  readonly preferred: boolean;
}

export interface FactoredFleet {
  /** The defaults' lists, by type. */
  readonly defaults: ReadonlyMap<LinkType, readonly TemplateEntry[]>;
  /**
   * What each store file still lists, by type: its own links where they differ from the
   * default, null (`TYPE: ~`) where it must not inherit a default. A type absent here is
   * inherited (or, without a default, unmanaged).
   */
  readonly stores: ReadonlyMap<string, ReadonlyMap<LinkType, readonly DesiredLink[] | null>>;
}

export interface FactorOptions {
  /** The share of stores that must hold a pattern for it to become a default (default 0.5). */
  readonly minShare?: number;
  /** At least this many stores must share it (default 2). */
  readonly minStores?: number;
  /** A list with a longer template stays each store's own (the fleet file's limit). */
  readonly maxTemplateLength?: number;
}

/** The URL with the store's code replaced by `{code}` after the host, where it stands alone. */
export function templateOf(url: string, code: string): string {
  const start = url.indexOf("://");
  let hostEnd = start === -1 ? 0 : start + 3;
  while (hostEnd < url.length && !"/?#".includes(url[hostEnd]!)) hostEnd++;
  const head = url.slice(0, hostEnd);
  const tail = url.slice(hostEnd);
  if (code === "" || !tail.includes(code)) return url;
  let result = "";
  let index = 0;
  for (let found = tail.indexOf(code); found !== -1; found = tail.indexOf(code, index)) {
    const before = tail[found - 1];
    const after = tail[found + code.length];
    // Only a whole segment or word: "a" must not become "c{code}t" in "cat".
    if (isWordChar(before) || isWordChar(after)) {
      result += tail.slice(index, found + 1);
      index = found + 1;
      continue;
    }
    result += `${tail.slice(index, found)}{code}`;
    index = found + code.length;
  }
  return head + result + tail.slice(index);
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[A-Za-z0-9]/.test(char);
}

function signature(entries: readonly TemplateEntry[]): string {
  return JSON.stringify(entries.map((entry) => [entry.template, entry.preferred]));
}

/** Finds the defaults and what each store keeps of its own. */
export function factorFleet(
  stores: ReadonlyMap<string, ReadonlyMap<LinkType, readonly DesiredLink[]>>,
  options: FactorOptions = {},
): FactoredFleet {
  const minShare = options.minShare ?? 0.5;
  const minStores = options.minStores ?? 2;
  const maxLength = options.maxTemplateLength ?? Infinity;
  // Per type, how many stores share each pattern, and one copy of it.
  const patterns = new Map<LinkType, Map<string, { entries: TemplateEntry[]; count: number }>>();
  const templated = new Map<string, Map<LinkType, string>>();
  for (const [code, links] of stores) {
    const signatures = new Map<LinkType, string>();
    for (const [type, list] of links) {
      // A brace in a live URL would read as a placeholder: such a list stays the store's own.
      if (list.some((link) => /[{}]/.test(link.url))) continue;
      const entries = list.map((link) => ({
        template: templateOf(link.url, code),
        preferred: link.preferred,
      }));
      if (entries.some((entry) => entry.template.length > maxLength)) continue;
      const key = signature(entries);
      signatures.set(type, key);
      const byPattern = patterns.get(type) ?? new Map();
      patterns.set(type, byPattern);
      const known = byPattern.get(key);
      if (known === undefined) byPattern.set(key, { entries, count: 1 });
      else known.count++;
    }
    templated.set(code, signatures);
  }

  const defaults = new Map<LinkType, readonly TemplateEntry[]>();
  const chosen = new Map<LinkType, string>();
  const needed = Math.max(minStores, Math.ceil(stores.size * minShare));
  for (const type of [...patterns.keys()].sort()) {
    let best: { key: string; entries: TemplateEntry[]; count: number } | undefined;
    for (const [key, pattern] of patterns.get(type)!) {
      // Ties go to the pattern seen first, so the outcome does not depend on Map internals.
      if (best === undefined || pattern.count > best.count) best = { key, ...pattern };
    }
    // An empty list is no pattern worth sharing: each store keeps `TYPE: []` itself.
    if (best !== undefined && best.count >= needed && best.entries.length > 0) {
      defaults.set(type, best.entries);
      chosen.set(type, best.key);
    }
  }

  const residual = new Map<string, Map<LinkType, readonly DesiredLink[] | null>>();
  for (const [code, links] of stores) {
    const own = new Map<LinkType, readonly DesiredLink[] | null>();
    const signatures = templated.get(code)!;
    for (const [type, list] of links) {
      // A list with no pattern (braces, too long) is always the store's own.
      const pattern = signatures.get(type);
      if (pattern === undefined || chosen.get(type) !== pattern) own.set(type, list);
    }
    for (const type of defaults.keys()) if (!links.has(type)) own.set(type, null);
    residual.set(code, own);
  }
  return { defaults, stores: residual };
}
