/**
 * The files `partoo-links init` writes into a new stores repository (the schemas are copied
 * from the package beside these). Workflows use the Action named by `action`
 * (OWNER/partoo-links@vMAJOR): the stores repository never holds a copy of the tool.
 */

/** actions/checkout v5.1.0, pinned by commit: a moved tag cannot change what runs with secrets. */
export const CHECKOUT_ACTION = "actions/checkout@fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09 # v5.1.0";

export const EXAMPLE_STORE_CODE = "example-01";

const PATHS = `      - "stores/**"
      - "partoo-links.yaml"`;

const CHECKOUT = `      - uses: ${CHECKOUT_ACTION}
        with:
          persist-credentials: false`;

function planWorkflow(action: string): string {
  return `# Every pull request that changes stores: annotate invalid files, then one plan comment
# (updated in place) and the job summary. Live with the read-only key; offline without it,
# and always offline, summary only, on pull requests from forks (no secrets, read-only token).
name: Plan

on:
  pull_request:
    paths:
${PATHS}

permissions: {}

concurrency:
  group: partoo-plan-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  plan:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    permissions:
      contents: read # the store files and the state branch
      pull-requests: write # the plan comment
    steps:
${CHECKOUT}
      - name: Validate store files
        uses: ${action}
        with:
          command: validate
      - name: Plan
        uses: ${action}
        with:
          command: plan
          partoo-api-key: \${{ secrets.PARTOO_READONLY_API_KEY }}
          # New and changed URLs are fetched: a dead link fails the plan at its file:line.
          args: --check-links
`;
}

function syncWorkflow(action: string): string {
  return `# After a merge: push the stores whose files changed since their last confirmed apply (the
# state on branch partoo-state decides, so a failed or cancelled run loses nothing), then
# comment the result on the merged pull request. The write key lives in the environment
# "partoo", which only the default branch may use.
name: Sync

on:
  push:
    branches: [main] # your default branch
    paths:
${PATHS}
  workflow_dispatch:

permissions: {}

# One sync at a time; a running sync is never cancelled (it would leave stores unrecorded).
concurrency:
  group: partoo-sync
  cancel-in-progress: false

jobs:
  sync:
    if: github.ref_name == github.event.repository.default_branch
    runs-on: ubuntu-latest
    timeout-minutes: 330
    environment: partoo
    permissions:
      contents: write # the state on branch partoo-state
      pull-requests: write # the result comment
    steps:
${CHECKOUT}
      - uses: ${action}
        with:
          command: apply
          partoo-api-key: \${{ secrets.PARTOO_API_KEY }}
          # Stops starting stores before the job's timeout; the next run resumes.
          args: --deadline 300
`;
}

function driftWorkflow(action: string): string {
  return `# Daily: compare the live links of every store with its file; one issue labelled
# partoo-drift is kept open while there is drift. By hand with accept: open (or update) one
# pull request that rewrites the drifted store files to match live (accept --drifted --pr);
# with self_heal: re-push the drifted stores (apply --repair, in the environment "partoo").
name: Drift

on:
  schedule:
    - cron: "17 5 * * *"
  workflow_dispatch:
    inputs:
      accept:
        description: "Accept what is live into the store files: one pull request (accept --drifted --pr)"
        type: boolean
        default: false
      self_heal:
        description: "Re-push the drifted stores after the check (apply --repair)"
        type: boolean
        default: false

permissions: {}

jobs:
  drift:
    runs-on: ubuntu-latest
    timeout-minutes: 120
    permissions:
      contents: write # drift is recorded in the state on branch partoo-state
      issues: write # the drift issue
    concurrency:
      group: partoo-drift
      cancel-in-progress: false
    outputs:
      exit-code: \${{ steps.drift.outputs.exit-code }}
    steps:
${CHECKOUT}
      - id: drift
        uses: ${action}
        with:
          command: drift
          partoo-api-key: \${{ secrets.PARTOO_READONLY_API_KEY }}

  accept:
    needs: drift
    if: github.event_name == 'workflow_dispatch' && inputs.accept && needs.drift.outputs.exit-code == '2'
    runs-on: ubuntu-latest
    timeout-minutes: 60
    permissions:
      contents: write # commits the rewritten files to branch partoo-links/accept
      pull-requests: write # opens or updates the accept pull request
    steps:
${CHECKOUT}
      - uses: ${action}
        with:
          command: accept
          partoo-api-key: \${{ secrets.PARTOO_READONLY_API_KEY }}
          args: --drifted --pr

  repair:
    needs: drift
    if: github.event_name == 'workflow_dispatch' && inputs.self_heal && needs.drift.outputs.exit-code == '2'
    runs-on: ubuntu-latest
    timeout-minutes: 330
    environment: partoo
    permissions:
      contents: write # the repaired stores in the state
      issues: write # closes the drift issue once live matches
    concurrency:
      group: partoo-sync
      cancel-in-progress: false
    steps:
${CHECKOUT}
      - uses: ${action}
        with:
          command: apply
          partoo-api-key: \${{ secrets.PARTOO_API_KEY }}
          args: --repair --deadline 300
      - uses: ${action}
        with:
          command: drift
          partoo-api-key: \${{ secrets.PARTOO_READONLY_API_KEY }}
`;
}

const EXAMPLE_STORE = `# yaml-language-server: $schema=../schemas/store.schema.json
# One file per store, named after its Partoo store code. Replace this example with your
# stores (partoo-links import --all writes them from what Partoo holds).
code: ${EXAMPLE_STORE_CODE}
links:
  SHOP_ONLINE:
    - url: https://shop.example.com/${EXAMPLE_STORE_CODE}
      preferred: true
`;

// SPEC §2a. Empty defaults and profiles: nothing is inherited until you add a type here.
const FLEET_FILE = `# yaml-language-server: $schema=./schemas/config.schema.json
# Link patterns shared by many stores. Per type, a store's own list wins, else its
# profile's, else the defaults'. Placeholders: {code}, {business_id}, {NAME} from vars.
# In YAML a { inside a [...] list opens a mapping: write templates as block lists.
defaults: # every store inherits these types
  links: {}
  # links:
  #   FOOD_ORDERING:
  #     - url: https://order.example.com/{code}
  #       preferred: true
profiles: {} # a store opts into one with profile: NAME
# profiles:
#   restaurant:
#     links:
#       DINING_RESERVATION:
#         - https://book.example.com/{city}/{code}
`;

const GITIGNORE = `# The local state of runs on your machine; the workflows keep theirs on branch partoo-state.
.partoo/
`;

function readme(action: string): string {
  return `# Stores

The place action links (the "Order online", "Book", "Shop" buttons on Google Business
Profile) of our stores, as code: one YAML file per store in \`stores/\`, pushed to Partoo by
[partoo-links](https://github.com/${action.split("@")[0]}) (\`${action}\`).

A pull request shows what would change as one comment; merging pushes only the stores that
changed; a daily check reports drift (changes made in Partoo behind the files' back).

## Set-up (five steps)

1. **Stores**: replace \`stores/${EXAMPLE_STORE_CODE}.yaml\` with your stores, one file per store
   named after its Partoo code (\`npx --no-install partoo-links import --all\` writes them
   from Partoo, where the tool is installed). \`partoo-links.yaml\` holds shared defaults.
2. **Environment** (Settings → Environments → New environment \`partoo\`): deployment
   branches: the default branch only; add required reviewers if every sync should be
   approved. Add the secret \`PARTOO_API_KEY\` there: the write key of a dedicated Partoo user.
   Only jobs in this environment (the sync and the repair) can read it, so a workflow pushed
   on another branch cannot.
3. **Read-only key** (Settings → Secrets and variables → Actions → repository secret
   \`PARTOO_READONLY_API_KEY\`): a key of a user that can only read the businesses. Pull
   request plans are live with it (offline without it) and the daily drift check uses it.
   Pull requests from forks never get it: they get an offline plan in the job summary.
4. **Branch protection** for the default branch: require a pull request and a review
   (a \`CODEOWNERS\` line \`stores/ @your-team\`), and the **Plan** check. Every merge is a
   push to Partoo. If your default branch is not \`main\`, change \`branches: [main]\` in
   \`.github/workflows/sync.yml\`.
5. **First sync**: merge a pull request (or run **Sync** by hand). It creates the branch
   \`partoo-state\`, the record of what was pushed: never edit or merge it.

## Workflows

- \`plan.yml\` (pull requests): validate with annotations, then the plan comment.
- \`sync.yml\` (merges to the default branch): apply, then the result comment.
- \`drift.yml\` (daily, or by hand with **accept** to turn drift into a pull request, or
  **self_heal** to repair): the drift issue. Accepting needs "Allow GitHub Actions to create
  and approve pull requests" (Settings → Actions → General).
`;
}

/** Every file init writes but the schemas, by path relative to the new repository. */
export function initFiles(action: string): ReadonlyMap<string, string> {
  return new Map([
    [`stores/${EXAMPLE_STORE_CODE}.yaml`, EXAMPLE_STORE],
    ["partoo-links.yaml", FLEET_FILE],
    [".github/workflows/plan.yml", planWorkflow(action)],
    [".github/workflows/sync.yml", syncWorkflow(action)],
    [".github/workflows/drift.yml", driftWorkflow(action)],
    [".gitignore", GITIGNORE],
    ["README.md", readme(action)],
  ]);
}
