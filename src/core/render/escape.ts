/**
 * One escaping layer per output format, for every value that did not come from this program
 * (URLs, file names, codes, type names, Partoo's and GitHub's messages). Pure.
 *
 * - text: control, invisible and bidi characters removed, line breaks made spaces, so a value
 *   cannot start a line, hide what follows it or reorder it; a workflow command (`::…` at the
 *   start of a line, `##[…` anywhere) cannot be formed.
 * - Markdown: every ASCII punctuation character escaped (HTML through entities), so nothing in
 *   a value is markup, a link, a table cell boundary, a mention or an issue reference.
 * - GitHub workflow commands: see annotations.ts (@actions/core's rules).
 */

/* eslint-disable no-control-regex -- control characters are exactly what is removed */
/** Line and paragraph breaks of any kind, and tabs: each run becomes one space. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
/**
 * C0 and C1 controls (ESC included), DEL, and invisible formatting that can hide or reorder
 * text: zero-width characters, bidi marks, embeddings, overrides and isolates, BOM.
 */
const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** Either of the above: most values have neither, and skip the replacing. */
const SPECIAL =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/;
/* eslint-enable no-control-regex */

/** A value on one line with nothing invisible in it: the base of every format's escaping. */
export function oneLine(value: string): string {
  return SPECIAL.test(value) ? value.replace(BREAKS, " ").replace(INVISIBLE, "") : value;
}

// ---- text ------------------------------------------------------------------------------

/** The runner reads `::name …::` after leading spaces, and the legacy `##[name]` anywhere on a line. */
const COMMAND_START = /^(\s*)::/;
const LEGACY_COMMAND = /##\[/g;

/** A value for terminal text and logs: one visible line that no runner reads as a command. */
export function escapeTextValue(value: string): string {
  return guardCommands(oneLine(value));
}

/**
 * Text whose lines may hold values: no line starts a workflow command. A backslash in front
 * keeps the text readable. Lines this program writes never start with `::`.
 */
export function guardCommands(text: string): string {
  if (!text.includes("::") && !text.includes("##[")) return text;
  return text
    .split("\n")
    .map((line) => line.replace(COMMAND_START, "$1\\::").replace(LEGACY_COMMAND, "##\\["))
    .join("\n");
}

// ---- Markdown --------------------------------------------------------------------------

/** A zero-width space, as an entity so that the Markdown source shows it was put there. */
const ZERO_WIDTH = "&#8203;";

const MARKDOWN: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  // GitHub links @user and #123 after rendering, escapes resolved: only a break stops it.
  "@": `@${ZERO_WIDTH}`,
  "#": `#${ZERO_WIDTH}`,
};

/** Characters that are markup wherever they stand (`:` makes URLs links and `:emoji:`). */
const INLINE_MARKUP = /[\\`*_[\]()!|~$:&<>@#]/g;
/** Markup only at the start of a line, where a renderer may put a value (`> ${value}`). */
const LINE_START_MARKUP = /^([-+=]|\d+(?=[.)]))([.)]?)/;

/**
 * A value as literal Markdown text, valid anywhere inline, in a table cell too: markup
 * characters are backslash-escaped (CommonMark allows it for any punctuation), `& < >` become
 * entities so no HTML (`<img>`, `<details>`, `<!--`) gets through, and `@`, `#` and `GH-` are
 * broken with a zero-width space so that GitHub makes no mention or issue reference of them.
 * No URL, `www.` domain or e-mail address becomes a link.
 */
export function escapeMarkdown(value: string): string {
  return oneLine(value)
    .replace(/^ +/, "")
    .replace(INLINE_MARKUP, (char) => MARKDOWN[char] ?? `\\${char}`)
    .replace(LINE_START_MARKUP, (_start, mark: string, dot: string) =>
      dot === "" ? `\\${mark}` : `${mark}\\${dot}`,
    )
    .replace(/\bwww\./gi, (www) => `${www.slice(0, -1)}\\.`)
    .replace(/\b(GH)-(?=\d)/gi, `$1${ZERO_WIDTH}-`);
}

/** Codes, type names and store file paths that are safe as they are inside a code span. */
const PLAIN_CODE = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/**
 * A code or type name in a code span; one with any other character (a type name from Partoo,
 * a file name) is shown as escaped text instead, which no content can break out of.
 */
export function markdownCode(value: string): string {
  return PLAIN_CODE.test(value) ? `\`${value}\`` : escapeMarkdown(value);
}

/**
 * A value inside HTML (e.g. a `<summary>`, where Markdown is not rendered): entities only,
 * also for the characters that are Markdown or that GitHub links (`:` of a URL), so that the
 * value reads the same wherever GitHub renders it. `@` and `#` are broken as in Markdown.
 */
export function escapeHtml(value: string): string {
  return oneLine(value)
    .replace(HTML_SPECIAL, (char) => {
      if (char === "@" || char === "#") return `${char}${ZERO_WIDTH}`;
      return HTML_NAMED[char] ?? `&#${char.charCodeAt(0)};`;
    })
    .replace(/\bwww\./gi, (www) => `${www.slice(0, -1)}&#46;`)
    .replace(/\b(GH)-(?=\d)/gi, `$1${ZERO_WIDTH}-`);
}

const HTML_SPECIAL = /[&<>"'\\`*_[\]()!|~$:@#]/g;
const HTML_NAMED: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
};
