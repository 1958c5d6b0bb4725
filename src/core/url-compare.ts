/**
 * The form in which two link URLs are compared with live. A server may store a URL
 * rewritten (Unicode NFC, lower-case host, no default port, upper-case or decoded
 * percent-encoding, no trailing slash): compared verbatim, every run would see a
 * difference, re-send the store and fail its read-back. Pure: WHATWG URL parsing only.
 */

/** Percent-escapes of characters that never need one (RFC 3986 unreserved). */
const UNRESERVED_ESCAPE =
  /%(2[dDeE]|3[0-9]|4[1-9a-fA-F]|5[0-9aA]|5[fF]|6[1-9a-fA-F]|7[0-9aA]|7[eE])/g;

/** Characters of a path segment that WHATWG parsing never escapes, decodes or rewrites. */
const SEGMENT = String.raw`[A-Za-z0-9\-._~!$&()*+,;=:@]`;
/** Labels of letters, digits and hyphens, the last one letters only (never an IPv4 address), no punycode. */
const HOST = String.raw`(?:(?!xn--)[a-z0-9-]+\.)+[a-z]+`;
/**
 * URLs that comparableUrl returns as they are: https, such a host, no port or user, a path
 * of such segments (no dot segment, no trailing slash but the root), a query and fragment of
 * the same characters and `/` `?`, and no `%` (ASCII, so NFC already). Most store URLs are
 * such, and skip the URL parser: each one is compared several times per store applied.
 */
const ALREADY_COMPARABLE = new RegExp(
  String.raw`^https://${HOST}(?:/|(?:/(?!\.\.?(?:[/?#]|$))${SEGMENT}+)+)` +
    String.raw`(?:\?(?:${SEGMENT}|[/?])*)?(?:#(?:${SEGMENT}|[/?])*)?$`,
);

export function comparableUrl(url: string): string {
  return ALREADY_COMPARABLE.test(url) ? url : parsedComparableUrl(url);
}

/** comparableUrl through the URL parser, for any URL. */
export function parsedComparableUrl(url: string): string {
  const nfc = url.normalize("NFC");
  let parsed: URL;
  try {
    parsed = new URL(nfc);
  } catch {
    return nfc;
  }
  parsed.pathname = parsed.pathname.replace(/(.)\/+$/, "$1");
  return parsed.href
    .replace(UNRESERVED_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase());
}

/** Whether two URLs are the same link once normalized (see comparableUrl). */
export function sameUrl(a: string, b: string): boolean {
  return a === b || comparableUrl(a) === comparableUrl(b);
}
