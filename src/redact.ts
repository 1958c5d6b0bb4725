/**
 * Redaction of secrets by value: the Partoo key and the GitHub token must never reach
 * output, a file or an error, whatever form a server or a library echoes them in. Pure
 * functions over strings; the entry point knows the secrets and passes them in.
 */

export const REDACTED = "[REDACTED]";

/**
 * Keys shorter than this are refused (see the README): a short value cannot be redacted by
 * value without mangling ordinary words, and no real Partoo key is that short.
 */
export const MIN_SECRET_LENGTH = 8;

/** Base64 fragments shorter than this are left alone: they would match ordinary text. */
const MIN_FRAGMENT_LENGTH = 6;

/**
 * The literal forms in which `secret` may appear in a text: as is, JSON-escaped (also with
 * `\/`), and base64 (standard and URL-safe) at each of the three alignments it can have inside
 * a longer encoded text. Percent-encoded forms are matched by `percentEncodedPattern`. Longest
 * first, so that a form containing another is replaced whole.
 */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return secret === "" ? [] : [secret];
  const forms = new Set<string>([secret]);
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(json.replace(/\//g, "\\/"));
  for (const fragment of base64Fragments(secret)) {
    forms.add(fragment);
    forms.add(fragment.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

const UNRESERVED = /[A-Za-z0-9_.~-]/;

/**
 * The secret with any of its characters percent-encoded, in either case of hex: the encoders
 * (encodeURIComponent, RFC 3986, form encoding) each choose differently which to encode.
 * Undefined when no character of the secret is ever encoded.
 */
export function percentEncodedPattern(secret: string): RegExp | undefined {
  if (secret.length < MIN_SECRET_LENGTH || [...secret].every((c) => UNRESERVED.test(c))) {
    return undefined;
  }
  const parts = [...secret].map((char) => {
    const literal = char.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
    if (UNRESERVED.test(char)) return literal;
    const hex = [...Buffer.from(char, "utf8")]
      .map((byte) => {
        const digits = byte.toString(16).padStart(2, "0");
        return `%${[...digits].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join("")}`;
      })
      .join("");
    return char === " " ? `(?:${literal}|${hex}|\\+)` : `(?:${literal}|${hex})`;
  });
  return new RegExp(parts.join(""), "g");
}

/**
 * The part of base64(prefix + secret + suffix) that depends on the secret alone, for each
 * alignment of the secret in a 3-byte group: the characters shared with the neighbours are cut.
 */
function base64Fragments(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString("base64").replace(/=+$/, "");
    // Leading characters that also encode the `offset` unknown bytes, trailing ones that
    // also encode what follows the secret.
    const start = offset === 0 ? 0 : offset + 1;
    const end = Math.floor((padded.length * 8) / 6);
    const fragment = encoded.slice(start, end);
    if (fragment.length >= MIN_FRAGMENT_LENGTH) fragments.push(fragment);
  }
  return fragments;
}

/** A redactor for a fixed set of secrets (empty ones ignored): forms computed once. */
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const given = secrets.filter((secret): secret is string => secret !== undefined && secret !== "");
  const forms = [...new Set(given.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  const patterns = given.flatMap((secret) => percentEncodedPattern(secret) ?? []);
  if (forms.length === 0) return (text) => text;
  return (text) => {
    let result = text;
    for (const form of forms) {
      if (result.includes(form)) result = result.split(form).join(REDACTED);
    }
    // A percent-encoded secret has a "%" in it: the patterns only run when there is one.
    if (patterns.length > 0 && result.includes("%")) {
      for (const pattern of patterns) result = result.replace(pattern, REDACTED);
    }
    return result;
  };
}

/** Redacts every string (and every key) of a parsed JSON value, in place of a copy. */
export function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (typeof value === "object" && value !== null) {
    const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) copy[redact(key)] = redactDeep(item, redact);
    return copy;
  }
  return value;
}

/**
 * Cuts `text` to `max` characters after redacting it, so that a cut can never leave the
 * start of a secret behind where the whole of it would have been recognised.
 */
export function cutRedacted(text: string, max: number, redact: (text: string) => string): string {
  const clean = redact(text);
  return clean.length > max ? `${clean.slice(0, Math.max(0, max - 3))}...` : clean;
}

/**
 * Removes `user:password@` from every URL in a text (parsed or not), so that a URL given on
 * the command line or in the environment can be echoed in a message.
 */
export function stripUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, "$1");
}

/** The secrets the process holds, from its environment: what output must never show. */
export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  return ["PARTOO_API_KEY", "GITHUB_TOKEN", "INPUT_PARTOO-API-KEY", "INPUT_GITHUB-TOKEN"]
    .map((name) => env[name]?.trim())
    .filter((value): value is string => value !== undefined && value !== "");
}
