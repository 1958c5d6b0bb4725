/**
 * How a server may rewrite the URLs it stores (partoo-api.md does not say Partoo does not):
 * Unicode NFC, lower-case host, no default port, upper-case percent-encoding, no trailing
 * slash after a path. The emulator applies it when told to (`normalizeUrls`), so tests
 * show that a client compares URLs by meaning and does not re-send the same store forever.
 */
export function normalizeLikeServer(value: string): string {
  let url: URL;
  try {
    url = new URL(value.normalize("NFC"));
  } catch {
    return value;
  }
  url.pathname = url.pathname.replace(/(.)\/+$/, "$1");
  return url.href.replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase());
}
