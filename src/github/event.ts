/** The pull request of the workflow's triggering event (GITHUB_EVENT_PATH). */
import { readFile } from "node:fs/promises";
import { UsageError } from "../errors.js";

/**
 * The number of the pull request in a pull_request (or pull_request_target, review…) event
 * payload. `purpose` names the flag that needs it, for messages.
 */
export async function pullRequestFromEvent(
  eventPath: string | undefined,
  purpose = "plan --comment",
): Promise<number> {
  if (eventPath === undefined || eventPath.trim() === "") {
    throw new UsageError(
      `${purpose} needs GITHUB_EVENT_PATH (set by GitHub Actions): run it in a workflow triggered by pull_request`,
    );
  }
  let text: string;
  try {
    text = await readFile(eventPath, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new UsageError(`GITHUB_EVENT_PATH ${eventPath}: cannot read the event file (${code})`, {
      cause: error,
    });
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`GITHUB_EVENT_PATH ${eventPath}: the event file is not valid JSON`, {
      cause: error,
    });
  }
  const number = (event as { pull_request?: { number?: unknown } } | null)?.pull_request?.number;
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(
      `GITHUB_EVENT_PATH ${eventPath}: not a pull request event (no pull_request.number); ${purpose} runs in workflows triggered by pull_request`,
    );
  }
  return number;
}
