/** What a link's outcome means for the store file that lists it, as one line. */
import { linkLabel } from "../files/findings.js";
import { quoteUrl } from "../core/link-url.js";
import type { LinkOutcome } from "./fetch-link.js";
import type { LinkTarget } from "./select-links.js";

export interface OutcomeMessage {
  readonly severity: "error" | "warning";
  readonly message: string;
}

/** undefined: nothing to say (the link answers, on its own host). */
export function describeOutcome(
  target: LinkTarget,
  outcome: LinkOutcome,
): OutcomeMessage | undefined {
  const label = `${linkLabel(target.type, target.index)} ${quoteUrl(target.url)}`;
  const moved = hostName(outcome.finalUrl) !== hostName(target.url);
  const via = moved ? ` (it redirects to ${quoteUrl(outcome.finalUrl)})` : "";
  switch (outcome.kind) {
    case "broken":
      return {
        severity: "error",
        message: `${label} is broken: ${moved ? `it redirects to ${quoteUrl(outcome.finalUrl)}: ` : ""}${outcome.reason}; fix the URL or remove the link`,
      };
    case "throttled":
      return {
        severity: "warning",
        message: `${label} could not be checked: the server answered 429 Too Many Requests${via}; check it in a browser or run the check again later`,
      };
    case "ok":
      return moved
        ? {
            severity: "warning",
            message: `${label} redirects to another host: ${quoteUrl(outcome.finalUrl)}; link the final address instead (Google may refuse links that leave their domain)`,
          }
        : undefined;
  }
}

/** Host names compare as URL parsing writes them (lower case); www. counts as another host. */
function hostName(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
