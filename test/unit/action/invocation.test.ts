import {
  ActionInputError,
  buildInvocation,
  type ActionInputs,
  type EventContext,
} from "../../../src/action/invocation.js";

const INPUTS: ActionInputs = {
  command: "plan",
  args: "",
  partooApiKey: "",
  stores: "stores",
  state: "github:partoo-state",
  config: "",
};

const pullRequest = (head: string | null, base = "acme/stores"): EventContext => ({
  name: "pull_request",
  repository: "acme/stores",
  refName: "12/merge",
  payload: {
    pull_request: {
      number: 12,
      head: { repo: head === null ? null : { full_name: head } },
      base: { repo: { full_name: base } },
    },
  },
});
const push = (branch: string): EventContext => ({
  name: "push",
  repository: "acme/stores",
  refName: branch,
  payload: { repository: { default_branch: "main" } },
});
const other = (name: string): EventContext => ({
  name,
  repository: "acme/stores",
  refName: "main",
  payload: { repository: { default_branch: "main" } },
});

const run = (inputs: Partial<ActionInputs>, event: EventContext) =>
  buildInvocation({ ...INPUTS, ...inputs }, event);

describe("the Action picks the tool's command line from its inputs and the event", () => {
  test("plan on a same-repository pull request comments, with detailed exit codes, offline without a key", () => {
    const result = run({}, pullRequest("acme/stores"));
    expect(result.argv).toEqual([
      "plan",
      "--stores",
      "stores",
      "--state",
      "github:partoo-state",
      "--format",
      "json",
      "--comment",
      "--detailed-exitcode",
    ]);
    expect(result.passApiKey).toBe(false);
  });

  test("plan on a same-repository pull request with a key is live", () => {
    const result = run({ partooApiKey: "k" }, pullRequest("acme/stores"));
    expect(result.argv).toContain("--live");
    expect(result.argv).toContain("--comment");
    expect(result.passApiKey).toBe(true);
  });

  test.each([
    ["a fork", "someone/stores"],
    ["a deleted fork", null],
  ])("plan on a pull request from %s is offline, never comments, never gets the key", (_, head) => {
    const result = run(
      { partooApiKey: "k", args: "--live --comment --refresh --only paris-01" },
      pullRequest(head),
    );
    expect(result.argv).not.toContain("--comment");
    expect(result.argv).not.toContain("--live");
    expect(result.argv).not.toContain("--refresh");
    expect(result.argv).toContain("--detailed-exitcode");
    expect(result.argv.slice(-2)).toEqual(["--only", "paris-01"]);
    expect(result.passApiKey).toBe(false);
    expect(result.notes.join("\n")).toContain("fork");
  });

  test("a pull request payload without repositories counts as a fork", () => {
    const result = run({ partooApiKey: "k" }, { ...pullRequest("x"), payload: {} });
    expect(result.passApiKey).toBe(false);
    expect(result.argv).not.toContain("--comment");
  });

  test("apply on a push to the default branch comments the result", () => {
    const result = run({ command: "apply", args: "--deadline 300" }, push("main"));
    expect(result.argv).toEqual([
      "apply",
      "--stores",
      "stores",
      "--state",
      "github:partoo-state",
      "--format",
      "json",
      "--comment",
      "--deadline",
      "300",
    ]);
  });

  test("apply by hand does not comment on the head commit's pull request", () => {
    expect(run({ command: "apply" }, other("workflow_dispatch")).argv).not.toContain("--comment");
  });

  test.each([
    ["a push to another branch", push("feature")],
    ["a pull request", pullRequest("acme/stores")],
    ["a pull_request_target event", { ...pullRequest("acme/stores"), name: "pull_request_target" }],
  ])("apply refuses to run on %s", (_, event) => {
    expect(() => run({ command: "apply", partooApiKey: "k" }, event)).toThrow(ActionInputError);
  });

  test.each(["schedule", "workflow_dispatch"])("drift on %s keeps the drift issue", (name) => {
    expect(run({ command: "drift" }, other(name)).argv).toContain("--issue");
  });

  test("drift on a push only reports", () => {
    expect(run({ command: "drift" }, push("main")).argv).not.toContain("--issue");
  });

  test("validate gets no --state, and accept is passed through", () => {
    expect(run({ command: "validate" }, pullRequest("acme/stores")).argv).toEqual([
      "validate",
      "--stores",
      "stores",
      "--format",
      "json",
    ]);
    expect(
      run({ command: "accept", args: "--drifted --pr" }, other("workflow_dispatch")).argv,
    ).toEqual([
      "accept",
      "--stores",
      "stores",
      "--state",
      "github:partoo-state",
      "--format",
      "json",
      "--drifted",
      "--pr",
    ]);
  });

  test("config passes --config only when set", () => {
    expect(run({ config: "fleet.yaml" }, push("main")).argv).toEqual(
      expect.arrayContaining(["--config", "fleet.yaml"]),
    );
    expect(run({}, push("main")).argv).not.toContain("--config");
  });

  test("a flag given in args is not added twice, and args come last so that they win", () => {
    const result = run(
      { args: "--format=markdown --stores=other --comment" },
      pullRequest("acme/stores"),
    );
    expect(result.argv).toEqual([
      "plan",
      "--state",
      "github:partoo-state",
      "--detailed-exitcode",
      "--format=markdown",
      "--stores=other",
      "--comment",
    ]);
  });

  test.each(["", "plna", "import", "emulator", "validate; rm -rf /"])(
    "refuses the command %j",
    (command) => {
      expect(() => run({ command }, push("main"))).toThrow(
        /^input command: .*use one of validate, plan, apply, drift, accept$/,
      );
    },
  );

  test("an unclosed quote in args is a one-line input error", () => {
    expect(() => run({ args: "--only 'paris" }, push("main"))).toThrow(ActionInputError);
  });
});
