/**
 * What is wrong with a link URL, said in terms a store manager can act on. The schema's
 * pattern only says "does not match"; this explains why.
 */
import { MAX_URL_LENGTH } from "./limits.js";

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what we look for
const CONTROL = /[\u0000-\u001f\u007f]/;
/** A surrogate that is not part of a pair: only a YAML escape ("\ud800") can write one. */
const LONE_SURROGATE = /\p{Cs}/u;

/** The URL shortened for a message, with its quotes. */
export function quoteUrl(url: string): string {
  return JSON.stringify(url.length > 80 ? `${url.slice(0, 77)}...` : url);
}

/**
 * The common case, accepted without building a URL object: https, a host name whose last
 * label has a letter (so never an IPv4 address), no port, no user, no whitespace. Any URL
 * it matches also parses with `new URL` and matches the schema's pattern.
 */
const PLAIN =
  // eslint-disable-next-line no-control-regex -- control characters are excluded on purpose
  /^https:\/\/(?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]*[A-Za-z][A-Za-z0-9-]*(?:[/?#][^\s\u0000-\u001f\u007f]*)?$/;

/** Why `url` is not an acceptable link URL, or undefined when it is. */
export function urlProblem(url: string): string | undefined {
  if (url.length <= MAX_URL_LENGTH && PLAIN.test(url) && !LONE_SURROGATE.test(url)) {
    return undefined;
  }
  const shown = quoteUrl(url);
  if (url === "") return "URL is empty; give an https:// URL or remove the link";
  if (url.length > MAX_URL_LENGTH) {
    return `URL is ${url.length.toLocaleString("en-US")} characters long, over the limit of ${MAX_URL_LENGTH.toLocaleString("en-US")}; use a shorter URL`;
  }
  if (/\s/.test(url)) {
    return `URL ${shown} contains whitespace; encode spaces as %20 and remove line breaks`;
  }
  if (CONTROL.test(url)) return `URL ${shown} contains control characters; remove them`;
  if (LONE_SURROGATE.test(url)) {
    return `URL ${shown} contains half of a UTF-16 surrogate pair (an escape such as \\ud800), which is no character; remove it`;
  }
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    const hint = url.startsWith("//") ? `https:${url}` : `https://${url.replace(/^\/+/, "")}`;
    return `URL ${shown} is not absolute; write the full address, e.g. ${quoteUrl(hint)}`;
  }
  if (scheme === "http") {
    return `URL ${shown} uses http://; links must use https://, e.g. ${quoteUrl(`https${url.slice(4)}`)}`;
  }
  if (scheme !== "https") {
    return `URL ${shown} uses the ${scheme}: scheme; links must be https:// web addresses`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `URL ${shown} is not a valid address; check it in a browser`;
  }
  if (parsed.hostname === "")
    return `URL ${shown} has no host; write e.g. https://shop.example.com/...`;
  if (parsed.username !== "" || parsed.password !== "") {
    return `URL ${shown} contains a user name or password; remove the part before @`;
  }
  if (!/^https:\/\/[^/?#@:]+(:[0-9]{1,5})?([/?#]|$)/.test(url)) {
    return `URL ${shown} is not a plain https://host/path address; check it in a browser`;
  }
  return undefined;
}

/** The key two URLs share when Partoo would see them as the same link (case-insensitive scheme and host). */
export function urlIdentity(url: string): string {
  if (!/[A-Z]/.test(url)) return url;
  const hostStart = url.indexOf("://");
  if (hostStart === -1) return url;
  let hostEnd = hostStart + 3;
  while (hostEnd < url.length && !"/?#".includes(url[hostEnd]!)) hostEnd++;
  const origin = url.slice(0, hostEnd);
  const lower = origin.toLowerCase();
  return lower === origin ? url : `${lower}${url.slice(hostEnd)}`;
}
