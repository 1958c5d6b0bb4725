/** `partoo-links validate`: checks every store file, offline. */
import type { Command } from "../command.js";
import type { OutputFormat } from "../../core/render/formats.js";
import { formatOption, parseFormat, storesOption } from "../options.js";
import { loadStores } from "../../files/index.js";
import {
  isValid,
  renderValidationGithub,
  renderValidationJson,
  renderValidationMarkdown,
  renderValidationText,
  validationReport,
  type ValidationReport,
} from "../../files/render-validation.js";

const renderers: Record<OutputFormat, (report: ValidationReport) => string> = {
  text: renderValidationText,
  json: renderValidationJson,
  markdown: (report: ValidationReport) => renderValidationMarkdown(report),
  github: renderValidationGithub,
};

export const validateCommand: Command = {
  name: "validate",
  summary: "check every store file (schema and rules); no network",
  description: [
    "Checks every <code>.yaml file of the stores directory against schemas/store.schema.json",
    "and the rules across files, and prints every problem with its file, line and column.",
    "--format github prints workflow annotations for pull requests; --format markdown a",
    "report for a job summary or a comment.",
    "",
    "Exit codes: 0 every store file is valid, 1 some file is invalid.",
  ].join("\n"),
  options: { ...storesOption, ...formatOption() },
  async run({ options, io, services }) {
    const format = parseFormat(options);
    const result = await loadStores(services.storesDir, { displayRoot: services.cwd });
    const report = validationReport(result);
    io.stdout.write(renderers[format](report));
    return isValid(report) ? 0 : 1;
  },
};
