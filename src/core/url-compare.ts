/**
 * The form in which two link URLs are compared with live. A server may store a URL
 * rewritten (Unicode NFC, lower-case host, no default port, upper-case or decoded
 * percent-encoding, no trailing slash): compared verbatim, every run would see a
 * difference, re-send the store and fail its read-back. Pure: WHATWG URL parsing only.
 */

/** Percent-escapes of characters that never need one (RFC 3986 unreserved). */
const UNRESERVED_ESCAPE =
  /%(2[dDeE]|3[0-9]|4[1-9a-fA-F]|5[0-9aA]|5[fF]|6[1-9a-fA-F]|7[0-9aA]|7[eE])/g;

export function comparableUrl(url: string): string {
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
