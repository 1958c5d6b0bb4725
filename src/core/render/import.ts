/** The result of an import run, as plain data, and its renderers. */
import type { StoreRecord } from "../model.js";
import type { OutputFormat } from "./formats.js";
import { annotation } from "./annotations.js";
import { escapeText } from "./markdown.js";
import { escapeTextValue, markdownCode } from "./escape.js";
import { plural } from "./describe.js";

/** A business that was not imported. */
export interface ImportSkip {
  readonly what: string;
  readonly reason: string;
  /** An error (exit 1), or a notice. */
  readonly error: boolean;
}

export interface ImportedStore {
  readonly code: string;
  /** The store file, as messages show it. */
  readonly file: string;
  readonly text: string;
  readonly record: StoreRecord;
  readonly links: number;
}

/** What `import --factor` wrote besides the store files. */
export interface FactorSummary {
  /** The fleet file, as messages show it. */
  readonly fleetFile: string;
  /** The types the fleet file gives every store by default. */
  readonly defaults: readonly string[];
  /** Link templates in the defaults. */
  readonly templates: number;
  readonly storeFiles: number;
  readonly lines: {
    /** The store files an import without --factor writes. */
    readonly before: number;
    readonly fleetFile: number;
    /** The thin store files written. */
    readonly storeFiles: number;
  };
}

export interface ImportReport {
  readonly imported: readonly ImportedStore[];
  readonly skips: readonly ImportSkip[];
  /** The stores directory, relative to the cwd. */
  readonly dir: string;
  readonly factor?: FactorSummary;
}

/** Lines after factoring, lines saved and their share of the lines before (rounded %). */
export function factorSavings(factor: FactorSummary): {
  after: number;
  saved: number;
  percent: number;
} {
  const after = factor.lines.fleetFile + factor.lines.storeFiles;
  const saved = factor.lines.before - after;
  return {
    after,
    saved,
    percent: factor.lines.before === 0 ? 0 : Math.round((saved / factor.lines.before) * 100),
  };
}

/** "partoo-links.yaml: 2 defaults (FOOD_ORDERING, SHOP_ONLINE), 3 link templates; …" */
function factorLines(factor: FactorSummary): string[] {
  const { after, saved, percent } = factorSavings(factor);
  const types = factor.defaults.length === 0 ? "" : ` (${factor.defaults.join(", ")})`;
  return [
    `Fleet file ${factor.fleetFile}: ${plural(factor.defaults.length, "default type")}${types}, ${plural(factor.templates, "link template")}`,
    `Factored: ${plural(factor.lines.before, "line")} of store files became ${after} (fleet file ${factor.lines.fleetFile}, ${plural(factor.storeFiles, "store file")} ${factor.lines.storeFiles}): ${saved >= 0 ? `${saved} fewer (${percent}%)` : `${-saved} more, as few stores share little`}`,
  ];
}

/** SPEC §5: 0 ok, 1 a store could not be imported. */
export function importExitCode(report: ImportReport): 0 | 1 {
  return report.skips.some((skip) => skip.error) ? 1 : 0;
}

function importSummary({ imported, skips, dir }: ImportReport): string {
  const errors = skips.filter((skip) => skip.error).length;
  return `Import: ${plural(imported.length, "store")} written to ${dir}, ${skips.length - errors} skipped, ${plural(errors, "error")}`;
}

function factorJsonLines(factor: FactorSummary) {
  const { after, saved, percent } = factorSavings(factor);
  return { ...factor.lines, after, saved, percent };
}

const renderers: Record<OutputFormat, (report: ImportReport) => string> = {
  text: (report) =>
    [
      ...report.imported.map(
        (store) => `+ ${escapeTextValue(store.file)}: ${plural(store.links, "link")}\n`,
      ),
      // Partoo's names and messages reach these lines: no line break or command gets through.
      ...report.skips.map(
        (skip) =>
          `${skip.error ? "✗" : "-"} ${escapeTextValue(skip.what)}: ${escapeTextValue(skip.reason)}\n`,
      ),
      ...(report.factor === undefined
        ? []
        : factorLines(report.factor).map((line) => `${escapeTextValue(line)}\n`)),
      `${importSummary(report)}\n`,
    ].join(""),
  json: ({ imported, skips, factor }) =>
    `${JSON.stringify(
      {
        imported: imported.map(({ code, file, links }) => ({ code, file, links })),
        skipped: skips.map(({ what, reason, error }) => ({ what, reason, error })),
        ...(factor === undefined ? {} : { factor: { ...factor, lines: factorJsonLines(factor) } }),
      },
      null,
      2,
    )}\n`,
  markdown: (report) =>
    [
      "### partoo-links import\n\n",
      `**${escapeText(importSummary(report))}**\n`,
      ...(report.factor === undefined
        ? []
        : ["\n", ...factorLines(report.factor).map((line) => `- ${escapeText(line)}\n`)]),
      ...(report.imported.length + report.skips.length === 0
        ? []
        : [
            "\n| store | result |\n|---|---|\n",
            ...report.imported.map(
              (store) =>
                `| ${markdownCode(store.code)} | ➕ ${escapeText(`${store.file}: ${plural(store.links, "link")}`)} |\n`,
            ),
            ...report.skips.map(
              (skip) =>
                `| ${escapeText(skip.what)} | ${skip.error ? "❌" : "⏭️"} ${escapeText(skip.reason)} |\n`,
            ),
          ]),
    ].join(""),
  github: (report) =>
    renderers.text(report) +
    report.skips
      .filter((skip) => skip.error)
      .map((skip) =>
        annotation("error", `${skip.what}: ${skip.reason}`, { title: "partoo-links import" }),
      )
      .join(""),
};

export function renderImportAs(format: OutputFormat, report: ImportReport): string {
  return renderers[format](report);
}
