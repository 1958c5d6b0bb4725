/**
 * The `$schema` an imported store file names: relative to the stores directory, so that it is
 * right for any --stores. The repository's own schemas/ (the git work tree of the stores
 * directory, else the working directory) when it has one, else the package's.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { findGitWorkTree } from "../files/repository.js";
import { schemaPath } from "../package-info.js";

const STORE_SCHEMA = "store.schema.json";

export function storeSchemaReference(storesDir: string, cwd: string): string {
  const root = findGitWorkTree(storesDir) ?? cwd;
  const inRepository = path.join(root, "schemas", STORE_SCHEMA);
  const target = existsSync(inRepository) ? inRepository : schemaPath(STORE_SCHEMA);
  const relative = path.relative(storesDir, target).split(path.sep).join("/");
  // Into a YAML comment: a path with a space or a line break stays one URI reference.
  return encodeURI(relative);
}
