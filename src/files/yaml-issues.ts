/**
 * What YAML itself objects to, in words that say what to change: syntax errors, repeated
 * keys, and the features a store file has no use for (tags, many aliases).
 */
import {
  CST,
  Lexer,
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  visit,
  type Document,
  type YAMLError,
} from "yaml";
import { MAX_ALIASES, MAX_NESTING, MAX_YAML_ERRORS } from "./limits.js";
import { compareIssues, type StoreIssue } from "./issues.js";
import { keyName } from "./yaml-positions.js";
import { quoteExcerpt } from "../core/excerpt.js";

export type IssueAt = (offset: number, message: string) => StoreIssue;

export const TOO_DEEP = "the file nests too deeply to be read; a store file has only a few levels";

const TAB_MESSAGE = "a tab is used for indentation; indent with spaces";

/**
 * The offset of the first tab in the indentation of each line that has content (not a
 * comment). Only looked for in a file that YAML already found errors in: in flow
 * collections a tab may separate, but a store file has no need of that.
 */
export function tabIndentOffsets(source: string): number[] {
  const offsets: number[] = [];
  if (!source.includes("\t")) return offsets;
  const pattern = /^([ \t]*)([^ \t\r\n#])/gm;
  for (let match = pattern.exec(source); match !== null; match = pattern.exec(source)) {
    const tab = match[1]!.indexOf("\t");
    if (tab !== -1) offsets.push(match.index + tab);
  }
  return offsets;
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n", 1)[0] ?? "";
}

export function firstAliasOffset(document: Document): number {
  let offset = 0;
  visit(document, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * YAML syntax errors and warnings, in words that say what to change, with the key problems
 * found by keyIssues.
 */
export function yamlIssues(
  document: Document,
  source: string,
  issue: IssueAt,
  keyProblems: readonly StoreIssue[],
): StoreIssue[] {
  const tabs = tabIndentOffsets(source);
  if (tabs.length > 0) {
    // A tab in the indentation makes yaml misread the lines around it: its other errors
    // (a list used as a key, a missing value...) are echoes. The tab is what to fix.
    const echoes =
      keyProblems.length > 0 ||
      [...document.errors, ...document.warnings].some((error) => error.code !== "TAB_AS_INDENT");
    const message = echoes
      ? `${TAB_MESSAGE} (errors it causes further on are not listed)`
      : TAB_MESSAGE;
    const tabIssues = tabs.map((offset) => issue(offset, message));
    return capIssues(tabIssues, MAX_YAML_ERRORS, "lines indented with tabs");
  }
  const issues: StoreIssue[] = [...keyProblems];
  for (const error of [...document.errors, ...document.warnings] as YAMLError[]) {
    issues.push(issue(error.pos[0], yamlMessage(error, source)));
  }
  if (issues.length === 0) return [issue(0, "invalid YAML; check the syntax of the file")];
  // After the first few, syntax errors are mostly echoes of the first ones.
  return capIssues(issues, MAX_YAML_ERRORS, "YAML errors");
}

/**
 * The first `max` issues by position, then one that says how many more there are (`total`
 * counts those that were not even placed; undefined when not all of them were counted).
 */
export function capIssues(
  issues: StoreIssue[],
  max: number,
  what: string,
  total: number | undefined = issues.length,
): StoreIssue[] {
  issues.sort(compareIssues);
  if (issues.length <= max) return issues;
  const next = issues[max]!;
  const more = total === undefined ? "more" : `${total - max} more`;
  return [
    ...issues.slice(0, max),
    { ...next, message: `${more} ${what} from here on; fix the ones above and run again` },
  ];
}

/**
 * The offset where the text nests more than MAX_NESTING levels (flow collections, and block
 * indicators on one line such as `- - -`), if it does. yaml's parser takes seconds on a
 * file nested 100,000 levels deep; its lexer finds the depth in a fraction of that, and
 * stops at the first level too many.
 */
export function tooDeepOffset(source: string): number | undefined {
  let offset = 0;
  let flow = 0;
  let onLine = 0;
  for (const token of new Lexer().lex(source)) {
    if (token === "[" || token === "{") flow++;
    else if (token === "]" || token === "}") flow = Math.max(0, flow - 1);
    else if (token === "-" || token === "?") onLine++;
    else if (token === "\n" || token === "\r\n") onLine = 0;
    if (flow + onLine > MAX_NESTING) return offset;
    // These markers tell the parser what comes next; they are not in the text.
    if (token !== CST.DOCUMENT && token !== CST.FLOW_END && token !== CST.SCALAR) {
      offset += token.length;
    }
  }
  return undefined;
}

function yamlMessage(error: YAMLError, source: string): string {
  // yaml's messages may quote the text at fault: short and escaped, like any quote of a file.
  const what = quoteExcerpt(firstLine(error).replace(/\.$/, ""), 100).slice(1, -1);
  if (what.includes("call stack")) return TOO_DEEP;
  switch (error.code) {
    case "MULTIPLE_DOCS":
      return "a second YAML document starts here; a store file holds one store: move it to a file of its own";
    case "TAB_AS_INDENT":
      return TAB_MESSAGE;
    case "MISSING_CHAR":
      return `invalid YAML: ${what}; add it`;
    case "BAD_SCALAR_START":
      return `invalid YAML: ${what}; put the value in quotes`;
    case "TAG_RESOLVE_FAILED":
      return `tag ${quoteExcerpt(tagAt(source, error.pos[0]))} is not allowed in a store file; remove it`;
    default:
      return `invalid YAML: ${what}; check the indentation, colons and quotes here`;
  }
}

function tagAt(source: string, offset: number): string {
  return /^!\S*/.exec(source.slice(offset, offset + 200))?.[0] ?? "!";
}

/**
 * Keys that are not plain text (`? [a]`, `*alias :`), and every repeated key, reported where
 * it is repeated and naming the line of the first one. Both before toJS: yaml turns such a
 * key into text, and the text of keys nested in keys doubles with each level (a 137-byte
 * file once took seconds, then failed). Keys are equal as yaml's `uniqueKeys` check has them
 * (scalars of the same value), found with one lookup per key: that check compares each key
 * with every earlier one, which takes seconds on a mapping of 20,000 keys.
 */
export function keyIssues(document: Document, issue: IssueAt): StoreIssue[] {
  const issues: StoreIssue[] = [];
  const repeated: { offset: number; name: string; first: number }[] = [];
  // A walk of the collections only (yaml's visit() calls back on every node, scalars
  // included, and was most of the cost of this check on 10,000 files).
  const walk = (node: unknown): void => {
    if (isSeq(node)) {
      for (const item of node.items) walk(item);
      return;
    }
    if (!isMap(node)) return;
    const seen = new Map<unknown, number>();
    for (const pair of node.items) {
      const key = pair.key;
      if (isCollection(key) || isAlias(key)) {
        const what = isAlias(key)
          ? `an alias (*${quoteExcerpt(key.source).slice(1, -1)})`
          : isMap(key)
            ? "a mapping"
            : "a list";
        issues.push(
          issue(
            key.range?.[0] ?? 0,
            `${what} is used as a key; keys in a store file are plain text, such as links or SHOP_ONLINE`,
          ),
        );
        walk(key);
      } else if (isScalar(key)) {
        const offset = key.range?.[0] ?? 0;
        const first = seen.get(key.value);
        if (first === undefined) seen.set(key.value, offset);
        else repeated.push({ offset, name: keyName(key), first });
      }
      walk(pair.value);
    }
  };
  walk(document.contents);
  for (const { offset, name, first } of repeated) {
    const base = issue(first, "");
    issues.push(
      issue(
        offset,
        `${quoteExcerpt(name)} appears twice in the same mapping (first on line ${base.line}); keep one`,
      ),
    );
  }
  return issues;
}

/** Explicit tags and aliases: none of them has a use in a store file beyond a few aliases. */
export function structureIssues(document: Document, source: string, issue: IssueAt): StoreIssue[] {
  const issues: StoreIssue[] = [];
  let aliases = 0;
  visit(document, {
    Node(_, node) {
      const offset = node.range?.[0] ?? 0;
      if (isAlias(node)) {
        aliases++;
        if (aliases === MAX_ALIASES + 1) {
          issues.push(
            issue(
              offset,
              `more than ${MAX_ALIASES} aliases (*name) in one file; write the values out instead`,
            ),
          );
        }
        // resolve() searches the document: past the limit, the file is refused anyway.
        if (aliases <= MAX_ALIASES && node.resolve(document) === undefined) {
          issues.push(
            issue(
              offset,
              `alias *${quoteExcerpt(node.source).slice(1, -1)} refers to no anchor; define &${quoteExcerpt(node.source).slice(1, -1)} before it`,
            ),
          );
        }
        return;
      }
      if (node.tag !== undefined) {
        // The node's range starts at its value; the tag is just before it.
        let tagOffset = source.lastIndexOf("!", offset);
        while (tagOffset > 0 && source[tagOffset - 1] === "!") tagOffset--;
        issues.push(
          issue(
            tagOffset === -1 ? offset : tagOffset,
            `tag ${quoteExcerpt(node.tag.replace(/^tag:yaml\.org,2002:/, "!!")).slice(1, -1)} is not allowed in a store file; remove it (quote the value to make it text)`,
          ),
        );
      }
    },
  });
  return issues;
}
