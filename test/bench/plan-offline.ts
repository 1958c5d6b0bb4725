/**
 * An offline plan over 10,000 applied stores, 10 of them changed: `partoo-links plan` as the
 * CLI runs it (state read and checked, unchanged files hashed and skipped, changed ones
 * parsed, plan built and rendered) against a bare loop that reads and hashes the same files.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { main } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/command.js";
import { hashDesiredStore } from "../../src/core/hash.js";
import type { AppliedLink, StoreRecord } from "../../src/core/model.js";
import { serializeStateDocument } from "../../src/state/document.js";
import { generateStoresInTempDir } from "./generate-stores.js";
import { registerBenchmark } from "./harness.js";

const STORES = 10_000;
const CHANGED = 10;

interface Context {
  root: string;
  dir: string;
  state: string;
}

registerBenchmark<Context>({
  name: `offline plan, ${STORES.toLocaleString("en-US")} applied stores, ${CHANGED} changed`,
  runs: 5,
  maxRatio: 2,
  async setup() {
    const { dir, stores } = await generateStoresInTempDir(STORES);
    const root = path.dirname(dir);
    const records: Record<string, StoreRecord> = {};
    let id = 1;
    for (const store of stores) {
      const bytes = await readFile(path.join(dir, `${store.code}.yaml`));
      const links: Record<string, AppliedLink[]> = {};
      for (const [type, list] of Object.entries(store.links)) {
        links[type] = list.map((link) => ({ id: id++, url: link.url, preferred: link.preferred }));
      }
      const at = "2024-05-01T10:00:00.000Z";
      records[store.code] = {
        address: store.businessId ?? `c-${store.code}`,
        hash: hashDesiredStore(store),
        fileHash: createHash("sha256").update(bytes).digest("hex"),
        links,
        commit: "0123456789abcdef0123456789abcdef01234567",
        appliedAt: at,
        lastAttempt: { status: "ok", at },
      };
    }
    // The pull request: every 1000th store gets one more link.
    for (const store of stores.filter((_, index) => index % (STORES / CHANGED) === 0)) {
      const file = path.join(dir, `${store.code}.yaml`);
      const [type] = Object.keys(store.links);
      const text = await readFile(file, "utf8");
      await writeFile(
        file,
        text
          .replace(`  ${type}:\n`, `  ${type}:\n    - https://extra.example.com/${store.code}\n`)
          .replace(
            `  ${type}: [] # managed, kept empty\n`,
            `  ${type}:\n    - https://extra.example.com/${store.code}\n`,
          ),
      );
    }
    const state = path.join(root, ".partoo", "state.json");
    await mkdir(path.dirname(state), { recursive: true });
    await writeFile(state, serializeStateDocument({ version: 2, stores: records }));
    return { root, dir, state };
  },
  async teardown({ root }) {
    await rm(root, { recursive: true, force: true });
  },
  async ours({ root, dir, state }) {
    return async () => {
      let stdout = "";
      let stderr = "";
      const io: CliIO = {
        stdout: { write: (chunk: string) => (stdout += chunk) },
        stderr: { write: (chunk: string) => (stderr += chunk) },
        env: {},
        cwd: root,
        stdoutIsTTY: false,
        stderrIsTTY: false,
      };
      const code = await main(
        ["plan", "--stores", dir, "--state", `file:${state}`, "--detailed-exitcode"],
        io,
      );
      if (
        code !== 2 ||
        !stdout.includes(`Plan: ${CHANGED} stores to change: ${CHANGED} links to create`)
      ) {
        throw new Error(`unexpected plan (exit ${code}): ${stderr}${stdout.slice(-300)}`);
      }
    };
  },
  async baseline({ dir }) {
    return () => {
      let count = 0;
      for (const name of readdirSync(dir)) {
        if (!name.endsWith(".yaml")) continue;
        createHash("sha256")
          .update(readFileSync(path.join(dir, name)))
          .digest("hex");
        count++;
      }
      if (count !== STORES) throw new Error(`expected ${STORES} files, read ${count}`);
    };
  },
  notes: () => "baseline: readdirSync + readFileSync + sha256 per file",
});
