/**
 * `import --all --factor`: the imported stores as a fleet file of defaults plus thin store
 * files (SPEC §2a). The texts are checked before anything is written: each thin file, read
 * with the fleet file by the parsers the loader uses, must mean exactly its full file, so
 * that no store is written (or recorded) in a form that would not round-trip to its live links.
 */
import { Document } from "yaml";
import { factorFleet, type TemplateEntry } from "../core/factor.js";
import { hashDesiredStore } from "../core/hash.js";
import { planStoreLive } from "../core/diff-live.js";
import type { LinkType } from "../core/model.js";
import type { FactorSummary } from "../core/render/import.js";
import { AppError } from "../errors.js";
import { formatIssue, MAX_URL_LENGTH } from "../files/index.js";
import { parseStoreText } from "../files/parse-store.js";
import { parseFleetText } from "../files/parse-fleet.js";
import type { BuiltStore } from "./build-store.js";
import type { Fleet } from "../core/fleet.js";
import { linkItems, renderStoreFile, YAML_OUTPUT } from "./store-yaml.js";

export interface FactorImportOptions {
  /** The fleet file as messages and the thin files' comments name it. */
  readonly fleetFile: string;
  /** The config schema, relative to the fleet file. */
  readonly schema: string;
  readonly date: string;
}

export interface FactoredImport {
  readonly fleetText: string;
  /** The thin store files, in the order of the stores given. */
  readonly stores: readonly (BuiltStore & { readonly fullText: string })[];
  readonly summary: Omit<FactorSummary, "fleetFile">;
}

/** Factors the stores and checks the result; throws an AppError when a store would not round-trip. */
export function factorImport(
  stores: readonly BuiltStore[],
  options: FactorImportOptions,
): FactoredImport {
  const factored = factorFleet(
    new Map(stores.map((store) => [store.code, new Map(Object.entries(store.desired.links))])),
    // {code} is longer than a short code: a URL near the limit can make a template past it.
    { maxTemplateLength: MAX_URL_LENGTH },
  );
  const fleetText = renderFleetYaml(factored.defaults, { ...options, stores: stores.length });
  const parsedFleet = parseFleetText(fleetText, options.fleetFile);
  const fleetError = parsedFleet.issues.find((issue) => issue.severity === "error");
  if (parsedFleet.fleet === undefined || fleetError !== undefined) {
    throw notRoundTripping(`the fleet file does not read back (${describe(fleetError)})`);
  }
  const fleet = parsedFleet.fleet;
  const thin = stores.map((store) => {
    const links = factored.stores.get(store.code)!;
    const text = renderStoreFile(
      { code: store.code, businessId: store.desired.businessId, links },
      { ...store.header, fleetFile: options.fleetFile },
    );
    const problem = roundTripProblem(text, store, fleet);
    if (problem !== undefined) throw notRoundTripping(problem);
    return { ...store, text, fullText: store.text };
  });
  const templates = [...factored.defaults.values()].reduce((sum, list) => sum + list.length, 0);
  return {
    fleetText,
    stores: thin,
    summary: {
      defaults: [...factored.defaults.keys()],
      templates,
      storeFiles: thin.length,
      lines: {
        before: sumLines(thin.map((store) => store.fullText)),
        fleetFile: countLines(fleetText),
        storeFiles: sumLines(thin.map((store) => store.text)),
      },
    },
  };
}

/** What keeps a store file, read with the fleet file, from meaning exactly its live links. */
function roundTripProblem(text: string, store: BuiltStore, fleet: Fleet): string | undefined {
  const read = parseStoreText(text, store.file, store.code, fleet);
  const error = read.issues.find((issue) => issue.severity === "error");
  if (read.store === undefined || error !== undefined) {
    return `${store.file} does not read back (${describe(error)})`;
  }
  const left = planStoreLive(read.store, undefined, store.live).changes;
  if (hashDesiredStore(read.store) !== hashDesiredStore(store.desired) || left.length > 0) {
    return `${store.file} with ${fleet.file} is not its live links`;
  }
  return undefined;
}

function notRoundTripping(what: string): AppError {
  return new AppError(
    `import --factor: ${what}; nothing written: import without --factor, and report this to partoo-links`,
  );
}

function describe(issue: Parameters<typeof formatIssue>[0] | undefined): string {
  return issue === undefined ? "invalid" : formatIssue(issue);
}

export function countLines(text: string): number {
  if (text === "") return 0;
  let lines = text.endsWith("\n") ? 0 : 1;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines++;
  return lines;
}

function sumLines(texts: readonly string[]): number {
  return texts.reduce((sum, text) => sum + countLines(text), 0);
}

/** The fleet file's text: the defaults, with a comment that says where they came from. */
export function renderFleetYaml(
  defaults: ReadonlyMap<LinkType, readonly TemplateEntry[]>,
  header: { readonly schema: string; readonly date: string; readonly stores: number },
): string {
  const links = new Map(
    [...defaults].map(([type, list]) => [
      type,
      linkItems(list.map((entry) => ({ url: entry.template, preferred: entry.preferred }))),
    ]),
  );
  const document = new Document(new Map([["defaults", new Map([["links", links]])]]));
  const count = `${header.stores} ${header.stores === 1 ? "store" : "stores"}`;
  if (document.contents !== null) {
    document.contents.commentBefore = [
      ` yaml-language-server: $schema=${header.schema}`,
      ` Written by partoo-links import --factor on ${header.date} from the live links of ${count}:`,
      " the lists most of them share. A store file's own list for a type wins, and TYPE: ~ in",
      ' a store file stops inheriting the type (README, "The fleet file").',
    ].join("\n");
  }
  return document.toString(YAML_OUTPUT);
}
