/** GitHub's size limits, and fitting a Markdown text under one with a clear note. Pure. */

/** GitHub rejects comment and issue bodies longer than this many characters. */
export const GITHUB_BODY_LIMIT = 65_536;

/** GitHub drops a step's job summary larger than this many bytes. */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

export interface FitOptions {
  readonly limit: number;
  /** Size as GitHub counts it. Default: UTF-16 code units, never fewer than GitHub's characters. */
  readonly measure?: (text: string) => number;
  /** What `measure` counts, for the note; default "characters". */
  readonly unit?: string;
  /** Where the complete text can be read, for the truncation note. */
  readonly hint?: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/gm;

/**
 * Returns `text` unchanged when it fits; otherwise its beginning, cut at a line break, with
 * an open code fence closed and a note saying that and why it was truncated.
 */
export function fitMarkdown(text: string, options: FitOptions): string {
  const measure = options.measure ?? ((value: string) => value.length);
  const size = measure(text);
  if (size <= options.limit) return text;
  const unit = options.unit ?? "characters";
  const hint = options.hint ?? "the complete report is in the workflow run's job summary";
  const note = `\n\n> **Truncated:** the full text is ${size.toLocaleString("en-US")} ${unit}, over GitHub's limit of ${options.limit.toLocaleString("en-US")}; ${hint}.\n`;
  let keep = Math.min(text.length, options.limit);
  for (;;) {
    const candidate = closeFences(cutAtLine(text, keep)) + note;
    const over = measure(candidate) - options.limit;
    if (over <= 0 || keep === 0) return candidate;
    keep = Math.max(0, keep - over);
  }
}

function cutAtLine(text: string, length: number): string {
  let cut = text.slice(0, length);
  // Never leave half of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const lineBreak = cut.lastIndexOf("\n");
  return lineBreak > cut.length / 2 ? cut.slice(0, lineBreak) : cut;
}

/** A fence left open would swallow the note into a code block. */
function closeFences(text: string): string {
  const fences = text.match(FENCE) ?? [];
  if (fences.length % 2 === 0) return text;
  const opening = fences[fences.length - 1]!.trim();
  return `${text}\n${opening}`;
}
