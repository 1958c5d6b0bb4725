/**
 * The `$schema` an imported file names: relative to the file's directory, so that it is right
 * for any --stores or --config. The repository's own schemas/ (the git work tree of that
 * directory, else the working directory) when it has one, else the package's.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { findGitWorkTree } from "../files/repository.js";
import { schemaPath } from "../package-info.js";

const STORE_SCHEMA = "store.schema.json";
const CONFIG_SCHEMA = "config.schema.json";

export function storeSchemaReference(storesDir: string, cwd: string): string {
  return schemaReference(storesDir, cwd, STORE_SCHEMA);
}

/** For the fleet file: `./schemas/config.schema.json` beside it, as the shipped example says. */
export function configSchemaReference(fleetFile: string, cwd: string): string {
  const relative = schemaReference(path.dirname(fleetFile), cwd, CONFIG_SCHEMA);
  return relative.startsWith("../") || relative.startsWith("/") ? relative : `./${relative}`;
}

function schemaReference(fromDir: string, cwd: string, schema: string): string {
  const root = findGitWorkTree(fromDir) ?? cwd;
  const inRepository = path.join(root, "schemas", schema);
  const target = existsSync(inRepository) ? inRepository : schemaPath(schema);
  const relative = path.relative(fromDir, target).split(path.sep).join("/");
  // Into a YAML comment: a path with a space or a line break stays one URI reference.
  return encodeURI(relative);
}
