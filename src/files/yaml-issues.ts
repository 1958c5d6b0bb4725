/**
 * What YAML itself objects to, in words that say what to change: syntax errors, repeated
 * keys, and the features a store file has no use for (tags, many aliases).
 */
import { isAlias, isScalar, visit, type Document, type YAMLError } from "yaml";
import { MAX_ALIASES, MAX_YAML_ERRORS } from "./limits.js";
import { compareIssues, type StoreIssue } from "./issues.js";
import { keyName } from "./yaml-positions.js";

export type IssueAt = (offset: number, message: string) => StoreIssue;

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

/** YAML syntax errors and warnings, in words that say what to change. */
export function yamlIssues(document: Document, source: string, issue: IssueAt): StoreIssue[] {
  const issues: StoreIssue[] = [];
  let duplicatesReported = false;
  for (const error of [...document.errors, ...document.warnings] as YAMLError[]) {
    if (error.code !== "DUPLICATE_KEY")
      issues.push(issue(error.pos[0], yamlMessage(error, source)));
    else if (!duplicatesReported) {
      issues.push(...duplicateKeyIssues(document, issue));
      duplicatesReported = true;
    }
  }
  if (issues.length === 0) return [issue(0, "invalid YAML; check the syntax of the file")];
  issues.sort(compareIssues);
  // After the first few, syntax errors are mostly echoes of the first ones.
  if (issues.length <= MAX_YAML_ERRORS) return issues;
  const next = issues[MAX_YAML_ERRORS]!;
  return [
    ...issues.slice(0, MAX_YAML_ERRORS),
    {
      ...next,
      message: `${issues.length - MAX_YAML_ERRORS} more YAML errors from here on; fix the ones above and run again`,
    },
  ];
}

function yamlMessage(error: YAMLError, source: string): string {
  const what = firstLine(error).replace(/\.$/, "");
  if (what.includes("call stack")) {
    return "the file nests too deeply to be read; a store file has only a few levels";
  }
  switch (error.code) {
    case "MULTIPLE_DOCS":
      return "a second YAML document starts here; a store file holds one store: move it to a file of its own";
    case "TAB_AS_INDENT":
      return "a tab is used for indentation; indent with spaces";
    case "MISSING_CHAR":
      return `invalid YAML: ${what}; add it`;
    case "BAD_SCALAR_START":
      return `invalid YAML: ${what}; put the value in quotes`;
    case "TAG_RESOLVE_FAILED":
      return `tag ${JSON.stringify(tagAt(source, error.pos[0]))} is not allowed in a store file; remove it`;
    default:
      return `invalid YAML: ${what}; check the indentation, colons and quotes here`;
  }
}

function tagAt(source: string, offset: number): string {
  return /^!\S*/.exec(source.slice(offset, offset + 200))?.[0] ?? "!";
}

/** Every repeated key, reported where it is repeated and naming the line of the first one. */
function duplicateKeyIssues(document: Document, issue: IssueAt): StoreIssue[] {
  const found: { offset: number; name: string; first: number }[] = [];
  visit(document, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const name = keyName(pair.key);
        const offset = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
        const first = seen.get(name);
        if (first === undefined) seen.set(name, offset);
        else found.push({ offset, name, first });
      }
    },
  });
  return found.map(({ offset, name, first }) => {
    const base = issue(first, "");
    return issue(
      offset,
      `${JSON.stringify(name)} appears twice in the same mapping (first on line ${base.line}); keep one`,
    );
  });
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
        if (node.resolve(document) === undefined) {
          issues.push(
            issue(
              offset,
              `alias *${node.source} refers to no anchor; define &${node.source} before it`,
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
            `tag ${node.tag.replace(/^tag:yaml\.org,2002:/, "!!")} is not allowed in a store file; remove it (quote the value to make it text)`,
          ),
        );
      }
    },
  });
  return issues;
}
