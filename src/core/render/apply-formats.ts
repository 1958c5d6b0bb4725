/** The apply report in each output format: one report, four renderings. */
import type { OutputFormat } from "./formats.js";
import { annotation } from "./annotations.js";
import {
  renderApplyJson,
  renderApplyMarkdown,
  renderApplyText,
  withoutCode,
  type ApplyReport,
} from "./apply.js";

export function renderApplyAs(
  format: OutputFormat,
  report: ApplyReport,
  fileOf: (code: string) => string | undefined,
): string {
  switch (format) {
    case "json":
      return renderApplyJson(report);
    case "markdown":
      return renderApplyMarkdown(report);
    case "text":
      return renderApplyText(report);
    case "github":
      return renderApplyText(report) + applyAnnotations(report, fileOf);
  }
}

/** Failed stores as workflow error annotations, so they show on the run's page. */
function applyAnnotations(
  report: ApplyReport,
  fileOf: (code: string) => string | undefined,
): string {
  return report.outcomes
    .filter((outcome) => outcome.status === "failed" || outcome.status === "refused")
    .map((outcome) => {
      const file = fileOf(outcome.code);
      const message = withoutCode(outcome, outcome.message ?? outcome.status);
      return annotation("error", `${outcome.code}: ${message}`, {
        ...(file === undefined ? {} : { file }),
        title: "partoo-links apply",
      });
    })
    .join("");
}
