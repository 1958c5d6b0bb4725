/** Writing to the job summary (GITHUB_STEP_SUMMARY). Rendering the Markdown happens elsewhere. */
import { appendFile } from "node:fs/promises";
import { AppError } from "../errors.js";
import { STEP_SUMMARY_LIMIT_BYTES, fitMarkdown } from "./limits.js";

/**
 * Appends `markdown` to the job summary file. A text over GitHub's 1 MiB limit is cut with a
 * note, because GitHub would otherwise drop the whole summary of the step.
 */
export async function appendStepSummary(path: string, markdown: string): Promise<void> {
  const text = fitMarkdown(markdown.endsWith("\n") ? markdown : `${markdown}\n`, {
    limit: STEP_SUMMARY_LIMIT_BYTES,
    measure: (value) => Buffer.byteLength(value, "utf8"),
    unit: "bytes",
    hint: "run the command with --format markdown locally for the complete report",
  });
  try {
    await appendFile(path, text, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new AppError(
      `GITHUB_STEP_SUMMARY ${path}: cannot append the job summary (${code}); unset GITHUB_STEP_SUMMARY outside GitHub Actions or point it to a writable file`,
      { cause: error },
    );
  }
}
