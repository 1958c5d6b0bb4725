/**
 * A reader for the plain store files people and `import` write (issue 18): block mappings and
 * lists indented with spaces, `key: value`, comments, and scalars whose meaning leaves no
 * doubt. It gives exactly what the yaml library (YAML 1.2, core schema) gives for the same
 * text, or NOT_SURE for anything outside that subset: the full, positioned parse then runs
 * and reports as it always did. Pure, and a few times cheaper than building yaml's AST.
 */

/** The text is outside the subset this reader is sure about. */
export const NOT_SURE: unique symbol = Symbol("not sure");

export type FastValue = string | boolean | null | FastValue[] | { [key: string]: FastValue };

/** Longer lines are left to the full parse (a URL is at most 2,048 characters). */
const MAX_LINE = 4096;
/** Deeper blocks are left to the full parse, which reports a file nested too deep. */
const MAX_DEPTH = 16;

interface Line {
  readonly indent: number;
  /** Without the indentation and trailing spaces; never empty, never a comment. */
  readonly text: string;
}

class NotSure extends Error {}
const notSure = (): never => {
  throw new NotSure();
};

/** The value of the one YAML document in `text` (a mapping at the top), or NOT_SURE. */
export function readStoreFast(text: string): FastValue | typeof NOT_SURE {
  const lines = significantLines(text);
  if (lines === undefined || lines.length === 0) return NOT_SURE;
  try {
    const cursor = { at: 0 };
    const first = lines[0]!;
    if (first.indent !== 0 || isSequenceItem(first.text)) return NOT_SURE;
    const value = readMapping(lines, cursor, 0, 0);
    return cursor.at === lines.length ? value : NOT_SURE;
  } catch (error) {
    if (error instanceof NotSure) return NOT_SURE;
    throw error;
  }
}

/**
 * The lines that carry content, or undefined for characters the reader leaves to the full
 * parse: tabs and other control characters, a lone CR, a byte order mark, characters YAML
 * does not allow or that some readers take as line breaks, document markers past the first
 * line, directives.
 */
function significantLines(text: string): Line[] | undefined {
  if (!/^[\n\r\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/.test(text)) {
    return undefined;
  }
  if (/\r(?!\n)/.test(text)) return undefined;
  const raw = text.split(/\r?\n/);
  const lines: Line[] = [];
  for (const [index, line] of raw.entries()) {
    if (line.length > MAX_LINE) return undefined;
    const trimmed = withoutTrailingSpaces(line);
    const content = trimmed.replace(/^ +/, "");
    if (content === "" || content.startsWith("#")) continue;
    if (/^(?:---|\.\.\.)(?: |$)/.test(trimmed) || trimmed.startsWith("%")) {
      // `---` may open the document, with nothing after it on its line.
      if (trimmed === "---" && lines.length === 0 && index === firstContentIndex(raw)) continue;
      return undefined;
    }
    lines.push({ indent: trimmed.length - content.length, text: content });
  }
  return lines;
}

/** A loop, not / +$/: that regular expression is quadratic on a long run of spaces. */
function withoutTrailingSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  return end === text.length ? text : text.slice(0, end);
}

function firstContentIndex(raw: readonly string[]): number {
  return raw.findIndex((line) => !/^ *(?:#.*)?$/.test(line.replace(/\r$/, "")));
}

function isSequenceItem(text: string): boolean {
  return text === "-" || text.startsWith("- ");
}

function readMapping(
  lines: readonly Line[],
  cursor: { at: number },
  indent: number,
  depth: number,
  /** The first line, when it is the rest of a `- ` line. */
  first?: Line,
): Record<string, FastValue> {
  if (depth > MAX_DEPTH) notSure();
  const map: Record<string, FastValue> = {};
  let pending = first;
  while (cursor.at < lines.length) {
    const line = pending ?? lines[cursor.at]!;
    pending = undefined;
    if (line.indent < indent) break;
    if (line.indent > indent || isSequenceItem(line.text)) notSure();
    const entry = /^([A-Za-z0-9_][A-Za-z0-9_.-]*):(?: +(.*))?$/.exec(line.text);
    if (entry === null) return notSure();
    const key = entry[1]!;
    if (typeof plainScalar(key) !== "string" || key === "__proto__" || key in map) notSure();
    cursor.at++;
    map[key] = readValue(lines, cursor, indent, entry[2] ?? "", depth, true);
  }
  return map;
}

function readSequence(
  lines: readonly Line[],
  cursor: { at: number },
  indent: number,
  depth: number,
): FastValue[] {
  if (depth > MAX_DEPTH) notSure();
  const list: FastValue[] = [];
  while (cursor.at < lines.length) {
    const line = lines[cursor.at]!;
    if (line.indent < indent) break;
    if (line.indent > indent || !isSequenceItem(line.text)) break;
    const rest = line.text.slice(1).replace(/^ +/, "");
    if (rest.startsWith("-") || rest.startsWith("?")) notSure();
    if (/^[A-Za-z0-9_][A-Za-z0-9_.-]*:(?: |$)/.test(rest)) {
      // `- key: value`: a mapping whose keys line up with this first one.
      const column = indent + (line.text.length - rest.length);
      list.push(readMapping(lines, cursor, column, depth + 1, { indent: column, text: rest }));
      continue;
    }
    cursor.at++;
    list.push(readValue(lines, cursor, indent, rest, depth, false));
  }
  return list;
}

/**
 * The value after `key:` or `-` on a line of the block at `indent`: on the line itself, or
 * a block on the lines below. Below a key (`inMapping`), a list may start at the key's own
 * indentation, as YAML allows.
 */
function readValue(
  lines: readonly Line[],
  cursor: { at: number },
  indent: number,
  rest: string,
  depth: number,
  inMapping: boolean,
): FastValue {
  const next = lines[cursor.at];
  const inline = rest.startsWith("#") ? "" : rest;
  if (inline !== "") {
    // A more indented line below a scalar would continue it (a multi-line scalar).
    if (next !== undefined && next.indent > indent) notSure();
    return inlineValue(inline);
  }
  if (next !== undefined && next.indent > indent) {
    return isSequenceItem(next.text)
      ? readSequence(lines, cursor, next.indent, depth + 1)
      : readMapping(lines, cursor, next.indent, depth + 1);
  }
  if (inMapping && next !== undefined && next.indent === indent && isSequenceItem(next.text)) {
    return readSequence(lines, cursor, indent, depth + 1);
  }
  return null;
}

/** A value on one line, with an optional ` # comment` after it. */
function inlineValue(text: string): FastValue {
  const quoted = /^(?:'([^']*)'|"([^"\\]*)")(?: +#.*)?$/.exec(text);
  if (quoted !== null) return quoted[1] ?? quoted[2]!;
  const flow = /^(\[\]|\{\})(?: +#.*)?$/.exec(text);
  if (flow !== null) return flow[1] === "[]" ? [] : {};
  const comment = text.indexOf(" #");
  const scalar = comment === -1 ? text : withoutTrailingSpaces(text.slice(0, comment));
  return plainScalar(scalar);
}

/**
 * A plain scalar as the core schema resolves it, when there is no doubt: no leading
 * indicator, no `: ` or ` #` inside, no flow brackets, and not a number (left to the full
 * parse, which says a number is not a URL).
 */
function plainScalar(text: string): FastValue {
  if (/^[-?:,[\]{}#&*!|>'"%@`.+~]/.test(text) && text !== "~") notSure();
  if (/: |:$|[[\]{}]/.test(text)) notSure();
  if (/^(?:~|[Nn]ull|NULL)$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(text)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(text)) return false;
  if (/^[0-9]/.test(text) && looksNumeric(text)) notSure();
  return text;
}

/** What the core schema reads as an int or a float (a leading sign or dot is refused before). */
function looksNumeric(text: string): boolean {
  return (
    /^[0-9]+$/.test(text) ||
    /^0o[0-7]+$/.test(text) ||
    /^0x[0-9a-fA-F]+$/.test(text) ||
    /^[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/.test(text)
  );
}
