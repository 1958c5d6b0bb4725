/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`): GitHub shows them on
 * the run's page and, with a file, on that file in the pull request. One place for their
 * escaping, which a message quoting a store file (a `%`, a newline) would otherwise break.
 */

export type AnnotationLevel = "error" | "warning" | "notice";

export interface AnnotationPlace {
  /** Path from the repository root, as the pull request shows it. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly title?: string;
}

/** One workflow command, newline included. */
export function annotation(
  level: AnnotationLevel,
  message: string,
  place: AnnotationPlace = {},
): string {
  const properties: string[] = [];
  if (place.file !== undefined) properties.push(`file=${escapeProperty(place.file)}`);
  if (place.line !== undefined) properties.push(`line=${place.line}`);
  if (place.column !== undefined) properties.push(`col=${place.column}`);
  if (place.title !== undefined) properties.push(`title=${escapeProperty(place.title)}`);
  const head = properties.length === 0 ? level : `${level} ${properties.join(",")}`;
  return `::${head}::${escapeData(message)}\n`;
}

/** GitHub's escaping of a workflow command's message. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** GitHub's escaping of a workflow command's property value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
