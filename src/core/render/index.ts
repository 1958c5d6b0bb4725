export { renderPlanJson } from "./json.js";
export {
  renderPlanMarkdown,
  MARKDOWN_MAX_LENGTH,
  SUMMARY_MARKDOWN_MAX_LENGTH,
  type MarkdownOptions,
} from "./markdown.js";
export { renderPlanText, type TextOptions } from "./text.js";
export { summaryLine } from "./describe.js";
export { renderPlanGithub, type GithubOptions } from "./github.js";

import type { Plan } from "../plan.js";
import type { OutputFormat } from "./formats.js";
import { renderPlanGithub, type GithubOptions } from "./github.js";
import { renderPlanJson } from "./json.js";
import { renderPlanMarkdown } from "./markdown.js";
import { renderPlanText } from "./text.js";

/** The formats of --format, as plan and drift know them. */
export type PlanFormat = OutputFormat;

/** What plan and drift print for `--format`: one plan, four renderings. */
export function renderPlanAs(
  format: PlanFormat,
  plan: Plan,
  options: GithubOptions & { readonly color: boolean; readonly title?: string },
): string {
  const { color, title, ...github } = options;
  const label = github.label === undefined ? {} : { label: github.label };
  switch (format) {
    case "json":
      return renderPlanJson(plan);
    case "markdown":
      return renderPlanMarkdown(plan, { ...label, ...(title === undefined ? {} : { title }) });
    case "text":
      return renderPlanText(plan, { ...label, color });
    case "github":
      return renderPlanGithub(plan, github);
  }
}
