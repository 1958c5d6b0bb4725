/**
 * Which link a changed URL replaces, within one type. Partoo updates a link in place when the
 * POST carries its id with a new value, so a URL changed in a file is an update that keeps the
 * id, not a delete and a create: a fleet-wide domain change reads "221 to update", and the
 * deletion caps count only the links that really go away.
 *
 * The rule, for the links of one type that leave (removed) and those that arrive (added):
 * 1. same path, query and fragment on another host: a domain change;
 * 2. then, same host with another path: a path change;
 * 3. then the rest by position: the first remaining removed link with the first remaining
 *    added one, and so on.
 * Each step takes the lists in their order (removed: live or last-applied order; added: file
 * order). Whatever is left on one side stays a delete or a create. Every rule pairs as many
 * links as possible, so the number of deletions is the same whichever rule decides.
 */

/** Parts of a URL the rule compares; undefined for a value that does not parse (hostile input). */
function urlParts(value: string): { host: string; rest: string } | undefined {
  try {
    const url = new URL(value);
    return { host: url.host.toLowerCase(), rest: `${url.pathname}${url.search}${url.hash}` };
  } catch {
    return undefined;
  }
}

/** The removed link each added one replaces (an update), by the rule above. */
export function pairReplacedLinks<R, A>(
  removed: readonly R[],
  added: readonly A[],
  removedUrl: (link: R) => string,
  addedUrl: (link: A) => string,
): Map<A, R> {
  const pairs = new Map<A, R>();
  if (removed.length === 0 || added.length === 0) return pairs;
  const left = new Set(removed);
  const removedParts = new Map(removed.map((link) => [link, urlParts(removedUrl(link))]));
  const steps: ((r: R, a: A) => boolean)[] = [
    (r, a) => {
      const from = removedParts.get(r);
      const to = urlParts(addedUrl(a));
      return from !== undefined && to !== undefined && from.rest === to.rest;
    },
    (r, a) => {
      const from = removedParts.get(r);
      const to = urlParts(addedUrl(a));
      return from !== undefined && to !== undefined && from.host === to.host;
    },
    () => true,
  ];
  for (const matches of steps) {
    for (const link of added) {
      if (pairs.has(link)) continue;
      const match = [...left].find((candidate) => matches(candidate, link));
      if (match === undefined) continue;
      pairs.set(link, match);
      left.delete(match);
    }
  }
  return pairs;
}
