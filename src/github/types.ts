/** The plain data the GitHub publisher and its parts exchange. */

export interface CommentResult {
  readonly action: "created" | "updated";
  readonly id: number;
  readonly url: string;
  /** Older duplicates of a marked comment that were deleted. */
  readonly deleted: readonly number[];
}

export interface PullRequestRef {
  readonly number: number;
  readonly title: string;
  readonly state: string;
  readonly merged: boolean;
  readonly url: string;
}

export interface DriftIssueReport {
  readonly drifting: boolean;
  readonly title: string;
  /** The issue body while drifting (Markdown). */
  readonly body: string;
  /** The comment left when the issue is closed; a default one when absent. */
  readonly resolvedComment?: string;
}

export interface IssueRef {
  readonly number: number;
  readonly url: string;
}

export interface DriftIssueResult {
  /** opened: a new issue; updated/unchanged: the open one; closed: drift is gone; none: nothing to do. */
  readonly action: "opened" | "updated" | "unchanged" | "closed" | "none";
  readonly issue?: IssueRef;
}
