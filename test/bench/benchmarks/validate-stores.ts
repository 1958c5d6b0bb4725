/**
 * validate on 10,000 generated stores: loadStores (what `partoo-links validate` runs, on
 * worker threads too) against a bare single-thread loop that reads, parses (yaml) and
 * schema-checks (ajv, same schema) the same files. Goal (issue 18): 0.8× that floor.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { Ajv2020 } from "ajv/dist/2020.js";
import { loadStores } from "../../../src/files/index.js";
import { schemaPath } from "../../../src/package-info.js";
import { generateStoresInTempDir } from "../generate-stores.js";
import { registerBenchmark } from "../harness.js";

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
    const schema = JSON.parse(readFileSync(schemaPath("store.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: true }).compile(schema);
    return () => {
      let valid = 0;
      for (const name of readdirSync(dir)) {
        if (!name.endsWith(".yaml")) continue;
        if (validate(parse(readFileSync(path.join(dir, name), "utf8")))) valid++;
      }
      if (valid !== STORES) throw new Error("generated stores should all be valid");
    };
  },
  notes: () => "baseline: readFileSync + yaml parse + ajv validate per file",
});
