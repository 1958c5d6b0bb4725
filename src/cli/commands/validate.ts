/** `partoo-links validate`: checks every store file, offline. */
import type { Command } from "../command.js";
import type { OutputFormat } from "../../core/render/formats.js";
import { formatOption, parseFormat, stateOption, storesOption, stringOption } from "../options.js";
import {
  compareIssues,
  hasErrors,
  loadFleet,
  loadStores,
  type StoreIssue,
} from "../../files/index.js";
import {
  isValid,
  renderValidationGithub,
  renderValidationJson,
  renderValidationMarkdown,
  renderValidationText,
  validationReport,
  type ValidationReport,
} from "../../files/render-validation.js";
import { checkLinksOptions } from "../link-options.js";
import { withLinkIssues } from "../link-issues.js";

const renderers: Record<OutputFormat, (report: ValidationReport) => string> = {
  text: renderValidationText,
  json: renderValidationJson,
  markdown: (report: ValidationReport) => renderValidationMarkdown(report),
  github: renderValidationGithub,
};

export const validateCommand: Command = {
  name: "validate",
  summary:
    "check every store file (schema, rules, Google's link rules); --check-links fetches the links",
  description: [
    "Checks every <code>.yaml file of the stores directory against schemas/store.schema.json",
    "and the rules across files, and prints every problem with its file, line and column.",
    "--format github prints workflow annotations for pull requests; --format markdown a",
    "report for a job summary or a comment.",
    "Warns about links Google refuses: two links of one type on one host, one URL shared by",
    "several stores. No network, unless --check-links: then the URLs that are not in the",
    "last-applied state of --state (=all: every URL) are fetched and broken ones are errors.",
    "",
    "Exit codes: 0 every store file is valid (warnings allowed unless --strict), 1 some file",
    "is invalid or a checked link is broken.",
  ].join("\n"),
  options: {
    ...storesOption,
    ...formatOption(),
    ...stateOption,
    ...checkLinksOptions,
    strict: { type: "boolean", description: "warnings fail too (exit 1)" },
  },
  async run({ options, io, services }) {
    const format = parseFormat(options);
    // The fleet file's problems are reported like the store files', in the chosen format.
    const fleet = await loadFleet(stringOption(options, "config"), services.cwd);
    const report = hasErrors(fleet.issues)
      ? { files: 1, issues: fleet.issues, invalidFiles: 1 }
      : withFleetIssues(
          validationReport(
            await withLinkIssues(
              await loadStores(services.storesDir, {
                displayRoot: services.cwd,
                // validate records nothing: no file hashes, and no node:crypto at its start.
                hashFiles: false,
                ...(fleet.loaded === undefined ? {} : { fleet: fleet.loaded }),
              }),
              options,
              services,
            ),
          ),
          fleet.issues,
        );
    io.stdout.write(renderers[format](report));
    const strict = options["strict"] === true && report.issues.length > 0;
    return isValid(report) && !strict ? 0 : 1;
  },
};

/** The fleet file's warnings among the report's issues. */
function withFleetIssues(report: ValidationReport, fleet: readonly StoreIssue[]): ValidationReport {
  if (fleet.length === 0) return report;
  return { ...report, issues: [...report.issues, ...fleet].sort(compareIssues) };
}
