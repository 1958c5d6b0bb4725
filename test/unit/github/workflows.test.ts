/**
 * The workflows' security properties, checked on every test run (the schema check is
 * `npx --yes @action-validator/cli .github/workflows/x.yml`, which needs the registry).
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { packageRoot } from "../../../src/package-info.js";

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  needs?: string;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const directory = path.join(packageRoot(), ".github", "workflows");
const files = readdirSync(directory).filter((file) => file.endsWith(".yml"));
const workflow = (file: string): Workflow =>
  parse(readFileSync(path.join(directory, file), "utf8")) as Workflow;
const text = (file: string) => readFileSync(path.join(directory, file), "utf8");
const runs = (job: Job) =>
  job.steps.flatMap((step) => (step.run === undefined ? [] : [step.run])).join("\n");

test("the four workflows exist", () => {
  expect(files.sort()).toEqual(["ci.yml", "drift.yml", "plan.yml", "sync.yml"]);
});

test.each(files)(
  "%s never runs on pull_request_target and pins actions to a major version",
  (file) => {
    expect(text(file)).not.toContain("pull_request_target");
    const uses = Object.values(workflow(file).jobs).flatMap((job) =>
      job.steps.flatMap((step) => (step.uses === undefined ? [] : [step.uses])),
    );
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^actions\/(checkout|setup-node)@v4$/);
    for (const job of Object.values(workflow(file).jobs)) {
      const node = job.steps.find((step) => step.uses?.startsWith("actions/setup-node"));
      expect(node?.with).toEqual({ "node-version": 20, cache: "npm" });
      const checkout = job.steps.find((step) => step.uses?.startsWith("actions/checkout"));
      expect(checkout?.with).toEqual({ "persist-credentials": false });
    }
  },
);

test.each(files)(
  "%s gives every job explicit, least permissions and keeps secrets in steps",
  (file) => {
    const { permissions, jobs, env } = workflow(file);
    // Either the workflow grants read-only contents, or nothing and each job says what it needs.
    expect([{ contents: "read" }, {}]).toContainEqual(permissions);
    for (const job of Object.values(jobs)) {
      const effective = job.permissions ?? permissions ?? {};
      for (const level of Object.values(effective)) expect(["read", "write"]).toContain(level);
    }
    expect(JSON.stringify(env ?? {})).not.toContain("secrets.");
    // Expressions reach scripts through env only (no script injection from inputs or events).
    for (const job of Object.values(jobs)) {
      for (const step of job.steps) expect(step.run ?? "").not.toContain("${{");
    }
    for (const job of Object.values(jobs)) {
      for (const value of Object.values(job.env ?? {})) {
        // A job-level secret may only be tested for presence, never handed to every step.
        if (value.includes("secrets.")) expect(value).toMatch(/^\$\{\{ secrets\.\w+ != '' \}\}$/);
      }
    }
  },
);

test("ci runs npm ci and npm test on pushes and pull requests", () => {
  const ci = workflow("ci.yml");
  expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
  expect(runs(ci.jobs["test"]!)).toBe("npm ci\nnpm test");
});

test("plan comments only on same-repository pull requests and goes live only with the read-only key", () => {
  const plan = workflow("plan.yml");
  expect(plan.on).toEqual({ pull_request: { paths: ["stores/**", "schemas/**"] } });
  const job = plan.jobs["plan"]!;
  expect(job.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  expect(job.env?.["SAME_REPOSITORY"]).toBe(
    "${{ github.event.pull_request.head.repo.full_name == github.repository }}",
  );
  expect(runs(job)).toContain("npx partoo-links validate --format github");
  for (const step of job.steps.filter((s) => s.run?.includes("partoo-links plan"))) {
    const live = step.run!.includes("--live");
    const comments = step.run!.includes("--comment");
    if (live) {
      expect(step.if).toContain("env.HAS_READONLY_KEY == 'true'");
      expect(step.env?.["PARTOO_API_KEY"]).toBe("${{ secrets.PARTOO_READONLY_API_KEY }}");
    } else {
      expect(step.env?.["PARTOO_API_KEY"]).toBeUndefined();
    }
    if (live || comments) expect(step.if).toMatch(/^env\.SAME_REPOSITORY == 'true'/);
    else expect(step.if).toBe("env.SAME_REPOSITORY != 'true'");
    expect(text("plan.yml")).not.toContain("secrets.PARTOO_API_KEY");
  }
});

test("sync applies with the github state in a concurrency group that never cancels a running sync", () => {
  const sync = workflow("sync.yml");
  expect(Object.keys(sync.on).sort()).toEqual(["push", "workflow_dispatch"]);
  expect(sync.on["push"]).toMatchObject({ paths: ["stores/**"] });
  expect(sync.concurrency).toEqual({ group: "partoo-sync", "cancel-in-progress": false });
  const job = sync.jobs["sync"]!;
  expect(job.if).toBe("github.ref_name == github.event.repository.default_branch");
  expect(job.permissions).toEqual({ contents: "write", "pull-requests": "write" });
  const merged = job.steps.find((step) => step.run?.includes("--comment"));
  expect(merged?.if).toBe("github.event_name == 'push'");
  expect(merged?.run).toMatch(/^npx partoo-links apply --state github:partoo-state --comment/);
  const manual = job.steps.find((step) => step.if === "github.event_name == 'workflow_dispatch'");
  expect(manual?.env?.["ONLY"]).toBe("${{ inputs.only }}");
  expect(manual?.run).toContain('${ONLY:+--only "$ONLY"}');
});

test("drift opens the issue daily and repairs only when asked, inside the sync group", () => {
  const drift = workflow("drift.yml");
  expect(drift.on["schedule"]).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
  expect(drift.on["workflow_dispatch"]).toEqual({
    inputs: { self_heal: expect.objectContaining({ type: "boolean", default: false }) },
  });
  const check = drift.jobs["drift"]!;
  expect(check.permissions).toEqual({ contents: "write", issues: "write" });
  expect(runs(check)).toContain("npx partoo-links drift --issue --state github:partoo-state");
  const repair = drift.jobs["repair"]!;
  expect(repair.needs).toBe("drift");
  expect(repair.if).toContain("inputs.self_heal");
  expect(repair.concurrency).toEqual({ group: "partoo-sync", "cancel-in-progress": false });
  expect(runs(repair)).toContain("npx partoo-links apply --repair --state github:partoo-state");
});

test("every plan, apply and drift in a workflow reads the state on branch partoo-state", () => {
  const commands = files.flatMap((file) =>
    Object.values(workflow(file).jobs).flatMap((job) =>
      runs(job)
        .split("\n")
        .filter((line) => /partoo-links (plan|apply|drift)\b/.test(line)),
    ),
  );
  expect(commands.length).toBeGreaterThanOrEqual(6);
  for (const command of commands) expect(command).toContain("--state github:partoo-state");
});
