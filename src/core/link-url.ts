/**
 * What a link URL may be (SPEC §2), said in terms a store manager can act on: the one
 * definition, for store files, for the URLs `import` reads from Partoo, and for anything else
 * that must tell a usable link from a bad one. The schema's pattern (mirrored in
 * schemas/store.schema.json) only says "does not match"; this explains why.
 */
import { domainToUnicode } from "node:url";
import { escapeUnsafe, quoteExcerpt } from "./excerpt.js";

/** Longest URL accepted (the same limit as the schema's maxLength). */
export const MAX_URL_LENGTH = 2048;

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what we look for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Characters that are invisible or reorder what is shown: a link that reads as one address
 * and leads to another. Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069),
 * marks (U+200E, U+200F, U+061C), zero-width characters (U+200B–200D, U+2060) and the byte
 * order mark (U+FEFF).
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
/** A surrogate that is not part of a pair: only a YAML escape ("\ud800") can write one. */
const LONE_SURROGATE = /\p{Cs}/u;

/** The URL shortened for a message, with its quotes, invisible characters shown as escapes. */
export function quoteUrl(url: string): string {
  return quoteExcerpt(url, 80);
}

/**
 * The common case, accepted without building a URL object: https, a host name whose last
 * label has a letter (so never an IPv4 address), no port, no user, no whitespace. Any URL
 * it matches also parses with `new URL` and matches the schema's pattern.
 */
const PLAIN =
  // eslint-disable-next-line no-control-regex -- control characters are excluded on purpose
  /^https:\/\/(?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]*[A-Za-z][A-Za-z0-9-]*(?:[/?#][^\s\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*)?$/;

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
  const invisible = INVISIBLE.exec(url);
  if (invisible !== null) {
    return `URL ${shown} contains ${describeChar(invisible[0])} at character ${invisible.index + 1}, which is invisible or reorders the text shown; remove it`;
  }
  if (/\s/.test(url)) {
    return `URL ${shown} contains whitespace; encode spaces as %20 and remove line breaks`;
  }
  const control = CONTROL.exec(url);
  if (control !== null) {
    return `URL ${shown} contains ${describeChar(control[0])} at character ${control.index + 1}, a control character; remove it`;
  }
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

/** "U+202E (RIGHT-TO-LEFT OVERRIDE)"-like names for the characters a message points out. */
const CHAR_NAMES: Readonly<Record<number, string>> = {
  0x061c: "ARABIC LETTER MARK",
  0x200b: "ZERO WIDTH SPACE",
  0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2060: "WORD JOINER",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
  0xfeff: "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
};

function describeChar(char: string): string {
  const code = char.charCodeAt(0);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  const name = Object.hasOwn(CHAR_NAMES, code) ? CHAR_NAMES[code] : undefined;
  return name === undefined ? hex : `${hex} (${name})`;
}

/**
 * Scripts whose letters look like Latin ones, or like each other's: a host label that mixes
 * them ("pаypal" with a Cyrillic "а") reads as one name and leads to another. The mixes that
 * languages really write (Latin with Han, Hiragana, Katakana, Hangul or Bopomofo) are
 * allowed, as in Unicode's "highly restrictive" profile (UTS #39).
 */
const SCRIPTS = [
  "Latin",
  "Cyrillic",
  "Greek",
  "Armenian",
  "Georgian",
  "Cherokee",
  "Hebrew",
  "Arabic",
  "Han",
  "Hiragana",
  "Katakana",
  "Hangul",
  "Bopomofo",
] as const;
const EAST_ASIAN = new Set(["Latin", "Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"]);

interface ScriptPatterns {
  readonly letter: RegExp;
  readonly scripts: readonly (readonly [string, RegExp])[];
}

let scriptPatterns: ScriptPatterns | undefined;

/**
 * Built on first use, for a host name that is not plain ASCII: the property escapes cost
 * about 1 ms to build, paid by every start when they were built as the module loaded.
 */
function patterns(): ScriptPatterns {
  scriptPatterns ??= {
    letter: /\p{L}/u,
    scripts: SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, "u")] as const),
  };
  return scriptPatterns;
}

/** The scripts of the letters of `label` that have one of SCRIPTS, in order of appearance. */
function labelScripts(label: string): string[] {
  const { letter, scripts } = patterns();
  const found: string[] = [];
  for (const char of label) {
    if (!letter.test(char)) continue;
    const script = scripts.find(([, pattern]) => pattern.test(char))?.[0] ?? "Other";
    if (!found.includes(script)) found.push(script);
  }
  return found;
}

function isMixed(scripts: readonly string[]): boolean {
  if (scripts.length < 2) return false;
  if (scripts.every((script) => EAST_ASIAN.has(script))) {
    // Japanese mixes Han with kana, Korean Han with Hangul, Chinese Han with Bopomofo; not more.
    const kana = scripts.includes("Hiragana") || scripts.includes("Katakana");
    const groups = [kana, scripts.includes("Hangul"), scripts.includes("Bopomofo")];
    return groups.filter(Boolean).length > 1;
  }
  return true;
}

/**
 * A warning for a URL that is valid but may deceive: a host label mixing scripts (e.g. Latin
 * and Cyrillic letters), shown with its punycode form, which is what the browser really
 * visits. Undefined for the ordinary ASCII host (the common case costs one test).
 */
export function urlWarning(url: string): string | undefined {
  const hostEnd = url.slice(8).search(/[/?#:]|$/) + 8;
  const rawHost = url.slice(8, hostEnd);
  if (!url.startsWith("https://") || (/^[\x21-\x7e]*$/.test(rawHost) && !/xn--/i.test(rawHost))) {
    return undefined;
  }
  let ascii: string;
  try {
    ascii = new URL(url).hostname;
  } catch {
    return undefined;
  }
  const unicode = domainToUnicode(ascii);
  for (const label of unicode.split(".")) {
    const scripts = labelScripts(label);
    if (!isMixed(scripts)) continue;
    return `host ${quoteExcerpt(unicode)} mixes ${scripts.join(" and ")} letters in one name (${quoteExcerpt(label)}), which can imitate another site; its real form is ${escapeUnsafe(ascii)}: check that this is the address you mean`;
  }
  return undefined;
}
