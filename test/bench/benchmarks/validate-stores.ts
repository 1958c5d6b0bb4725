/**
 * validate on 10,000 generated stores: loadStores (what `partoo-links validate` runs, on
 * worker threads too) against a bare single-thread loop that reads, parses (yaml) and
 * schema-checks (ajv, same schema) the same files. Goal (issue 18): 0.8× that floor.
 */
import path from "node:path";
import { loadStores } from "../../../src/files/index.js";
import { generateStoresInTempDir } from "../generate-stores.js";
import { registerBenchmark, workRow } from "../harness.js";
import { PARSE_AND_CHECK, parseAndCheck } from "./floors.js";

const STORES = 10_000;

interface Context {
  dir: string;
  root: string;
}

registerBenchmark<Context>({
  name: `validate ${STORES.toLocaleString("en-US")} stores`,
  runs: 10,
  rounds: 5,
  maxRatio: 0.8,
  maxPeakRssBytes: 300 * 1024 * 1024,
  async setup() {
    const { dir } = await generateStoresInTempDir(STORES);
    return { dir, root: path.dirname(dir) };
  },
  async teardown({ root }) {
    const { rm } = await import("node:fs/promises");
    await rm(root, { recursive: true, force: true });
  },
  async ours({ dir }) {
    return async () => {
      const result = await loadStores(dir, { displayRoot: dir });
      if (result.stores.length !== STORES) throw new Error("generated stores should all be valid");
    };
  },
  async baseline({ dir }) {
    const check = parseAndCheck(dir);
    return () => {
      if (check() !== STORES) throw new Error("generated stores should all be valid");
    };
  },
  notes: () => `baseline: ${PARSE_AND_CHECK}`,
  readme: workRow(
    "`validate` (every file read, parsed, checked)",
    "read + `yaml` parse + ajv check per file",
  ),
});
