/**
 * The workflows' security properties, checked on every test run (their schema is checked by
 * @action-validator/cli in test/integration/init.test.ts). They run the tool through this
 * repository's own Action (uses: ./), never through npx or a registry.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { packageRoot } from "../../../src/package-info.js";

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  needs?: string;
  environment?: string;
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
const actionSteps = (job: Job) => job.steps.filter((step) => step.uses === "./");
const holdsSecret = (job: Job) => JSON.stringify(job).includes("secrets.");

test("the five workflows exist", () => {
  expect(files.sort()).toEqual(["ci.yml", "drift.yml", "plan.yml", "release.yml", "sync.yml"]);
});

test.each(files)(
  "%s never runs on pull_request_target and pins third-party actions by commit, tag in a comment",
  (file) => {
    expect(text(file)).not.toContain("pull_request_target");
    const lines = text(file)
      .split("\n")
      .filter((line) => /^\s*(- )?uses: /.test(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const uses = line.replace(/^\s*(- )?uses: /, "");
      if (uses === "./") continue;
      expect(uses).toMatch(/^actions\/(checkout|setup-node)@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
    for (const job of Object.values(workflow(file).jobs)) {
      const checkout = job.steps[0];
      expect(checkout?.uses).toMatch(
        /^actions\/checkout@fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09$/,
      );
      expect(checkout?.with).toEqual({ "persist-credentials": false });
      const node = job.steps.find((step) => step.uses?.startsWith("actions/setup-node"));
      if (node !== undefined)
        expect(String(node.with?.["node-version"])).toMatch(/^(24|\$\{\{ matrix)/);
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
    for (const job of Object.values(jobs)) {
      // Expressions reach scripts through env only (no script injection from inputs or events).
      for (const step of job.steps) expect(step.run ?? "").not.toContain("${{");
      expect(JSON.stringify(job.env ?? {})).not.toContain("secrets.");
    }
  },
);

test.each(files)("%s keeps the write key in the environment partoo", (file) => {
  for (const job of Object.values(workflow(file).jobs)) {
    if (JSON.stringify(job).includes("secrets.PARTOO_API_KEY")) {
      expect(job.environment).toBe("partoo");
    }
  }
});

test.each(files)(
  "%s never runs npx or anything that could fetch a same-named package, and installs without scripts where a secret is held",
  (file) => {
    expect(text(file)).not.toMatch(/\bnpx\b|npm exec|npm (i|install) /);
    for (const job of Object.values(workflow(file).jobs)) {
      const install = runs(job)
        .split("\n")
        .filter((line) => /\bnpm ci\b/.test(line));
      if (holdsSecret(job)) for (const line of install) expect(line).toContain("--ignore-scripts");
    }
  },
);

test("ci runs .ci/run on pushes and pull requests, on Node 24 and the oldest supported Node", () => {
  const ci = workflow("ci.yml");
  expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
  const job = ci.jobs["test"] as Job & { strategy: { matrix: { "node-version": number[] } } };
  expect(runs(job)).toBe("bash .ci/run");
  expect(job.strategy.matrix["node-version"]).toEqual([24, 20]);
  expect(holdsSecret(job)).toBe(false);
});

test("plan validates then plans through the Action, with the read-only key only", () => {
  const plan = workflow("plan.yml");
  expect(plan.on).toEqual({
    pull_request: { paths: ["stores/**", "schemas/**", "partoo-links.yaml"] },
  });
  const job = plan.jobs["plan"]!;
  expect(job.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  expect(actionSteps(job).map((step) => step.with)).toEqual([
    { command: "validate" },
    {
      command: "plan",
      "partoo-api-key": "${{ secrets.PARTOO_READONLY_API_KEY }}",
      args: "--check-links",
    },
  ]);
  expect(job.environment).toBeUndefined();
});

test("sync applies on the default branch only, in a concurrency group that never cancels a running sync", () => {
  const sync = workflow("sync.yml");
  expect(Object.keys(sync.on).sort()).toEqual(["push", "workflow_dispatch"]);
  expect(sync.on["push"]).toMatchObject({ paths: ["stores/**", "partoo-links.yaml"] });
  expect(sync.concurrency).toEqual({ group: "partoo-sync", "cancel-in-progress": false });
  const job = sync.jobs["sync"]!;
  expect(job.if).toBe("github.ref_name == github.event.repository.default_branch");
  expect(job.permissions).toEqual({ contents: "write", "pull-requests": "write" });
  expect(job.environment).toBe("partoo");
  const [apply] = actionSteps(job);
  expect(apply?.with).toMatchObject({
    command: "apply",
    "partoo-api-key": "${{ secrets.PARTOO_API_KEY }}",
  });
  expect(String(apply?.with?.["args"])).toMatch(/^--deadline 300 /);
});

test("drift keeps the issue daily with the read-only key, and accepts or repairs only when asked, repairs in the environment and the sync group", () => {
  const drift = workflow("drift.yml");
  expect(drift.on["schedule"]).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
  expect(drift.on["workflow_dispatch"]).toEqual({
    inputs: {
      accept: expect.objectContaining({ type: "boolean", default: false }),
      self_heal: expect.objectContaining({ type: "boolean", default: false }),
    },
  });
  const accept = drift.jobs["accept"]!;
  expect(accept.needs).toBe("drift");
  expect(accept.if).toContain("inputs.accept");
  expect(accept.permissions).toEqual({ contents: "write", "pull-requests": "write" });
  expect(accept.environment).toBeUndefined();
  expect(actionSteps(accept).map((step) => step.with)).toEqual([
    {
      command: "accept",
      "partoo-api-key": "${{ secrets.PARTOO_READONLY_API_KEY }}",
      args: "--drifted --pr",
    },
  ]);
  const check = drift.jobs["drift"]!;
  expect(check.permissions).toEqual({ contents: "write", issues: "write" });
  expect(actionSteps(check).map((step) => step.with)).toEqual([
    { command: "drift", "partoo-api-key": "${{ secrets.PARTOO_READONLY_API_KEY }}" },
  ]);
  const repair = drift.jobs["repair"]!;
  expect(repair.needs).toBe("drift");
  expect(repair.if).toContain("inputs.self_heal");
  expect(repair.environment).toBe("partoo");
  expect(repair.concurrency).toEqual({ group: "partoo-sync", "cancel-in-progress": false });
  expect(actionSteps(repair).map((step) => step.with?.["command"])).toEqual(["apply", "drift"]);
  expect(actionSteps(repair)[0]?.with?.["args"]).toBe("--repair --deadline 300");
});

test("release tests, checks the build, publishes with provenance and moves the major tag", () => {
  const release = workflow("release.yml");
  expect(release.on).toEqual({ push: { tags: ["v*"] } });
  expect(runs(release.jobs["test"]!)).toBe("bash .ci/run");
  const publish = release.jobs["publish"]!;
  expect(publish.needs).toBe("test");
  expect(publish.permissions).toEqual({ contents: "write", "id-token": "write" });
  const script = runs(publish);
  expect(script).toContain("npm ci --ignore-scripts");
  expect(script).toMatch(/npm run bundle\n\s*git diff --exit-code/);
  expect(script).toContain("npm publish --provenance");
  expect(script).toContain("refs/tags/$major");
});

test("every plan, apply and drift step keeps the Action's default state, branch partoo-state", () => {
  const steps = files.flatMap((file) =>
    Object.values(workflow(file).jobs).flatMap((job) => actionSteps(job)),
  );
  expect(
    steps.filter((step) => step.with?.["command"] !== "validate").length,
  ).toBeGreaterThanOrEqual(5);
  for (const step of steps) {
    expect(step.with?.["state"]).toBeUndefined();
    expect(String(step.with?.["args"] ?? "")).not.toContain("--state");
  }
});
