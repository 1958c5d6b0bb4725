import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { STEP_SUMMARY_LIMIT_BYTES } from "../../../src/github/limits.js";
import { appendStepSummary } from "../../../src/github/step-summary.js";
import { AppError } from "../../../src/errors.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "summary-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("the summary is appended after what earlier steps wrote, ending with a line break", async () => {
  const file = path.join(dir, "summary.md");
  await writeFile(file, "# Validate\n");
  await appendStepSummary(file, "## Plan\n\n2 stores to push");
  await appendStepSummary(file, "## Drift\n");
  expect(await readFile(file, "utf8")).toBe("# Validate\n## Plan\n\n2 stores to push\n## Drift\n");
});

test("an unwritable summary file is a one-line error naming the variable and the path", async () => {
  const file = path.join(dir, "missing", "summary.md");
  const error = await appendStepSummary(file, "x").catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  expect((error as Error).message).toBe(
    `GITHUB_STEP_SUMMARY ${file}: cannot append the job summary (ENOENT); unset GITHUB_STEP_SUMMARY outside GitHub Actions or point it to a writable file`,
  );
});

test("a summary over GitHub's 1 MiB limit is cut with a note instead of being dropped", async () => {
  const file = path.join(dir, "summary.md");
  await appendStepSummary(file, "| store | change |\n".repeat(80_000));
  const written = await readFile(file, "utf8");
  expect(Buffer.byteLength(written)).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT_BYTES);
  expect(written).toContain("**Truncated:**");
});
