/**
 * Text from outside (a store file, a file name, a server's answer) quoted in a message: short,
 * on one line, with invisible characters shown as escapes and anything that looks like a
 * credential masked. A message must never carry a whole file, nor a secret a hostile link
 * made us read.
 */

/** Characters quoted at most; longer text is cut with "…". */
export const EXCERPT_MAX_CHARS = 60;

/**
 * Control characters (C0, DEL, C1), line and paragraph separators, and the invisible
 * formatting characters that can reorder or hide text: bidi embeddings, overrides and
 * isolates, zero-width characters, the byte order mark.
 */
export const UNSAFE_CHARS =
  // eslint-disable-next-line no-control-regex -- control characters are what this finds
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const CREDENTIALS: readonly [RegExp, string][] = [
  // user:password@ in a URL
  [/(\/\/)[^/?#@\s]*@/g, "$1***@"],
  // GitHub tokens (ghp_, ghs_, gho_, ghu_, ghr_, github_pat_)
  [/\b(gh[opsur]_|github_pat_)[A-Za-z0-9_]+/g, "$1***"],
  // key = value, key: value for the usual names of secrets
  [/(password|passwd|secret|token|api[_-]?key|authorization)(\s*[:=]\s*)\S+/gi, "$1$2***"],
  // a PEM block
  [/-----BEGIN [A-Z ]*-----[\s\S]*/g, "-----BEGIN …"],
];

/** `text` as a quoted excerpt: `"paris-01"`, `"https://x.example.com/…"`. */
export function quoteExcerpt(text: string, max = EXCERPT_MAX_CHARS): string {
  let masked = text;
  for (const [pattern, replacement] of CREDENTIALS) masked = masked.replace(pattern, replacement);
  let cut = masked;
  if (masked.length > max) {
    const chars = Array.from(masked);
    if (chars.length > max) cut = `${chars.slice(0, max - 1).join("")}…`;
  }
  return escapeUnsafe(JSON.stringify(cut));
}

export function hasUnsafeChars(text: string): boolean {
  UNSAFE_CHARS.lastIndex = 0;
  return UNSAFE_CHARS.test(text);
}

/** Every unsafe character of `text` written as a `\uXXXX` escape, so that it is seen, not obeyed. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE_CHARS, (char) => {
    const escaped = JSON.stringify(char).slice(1, -1);
    return escaped !== char ? escaped : `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
