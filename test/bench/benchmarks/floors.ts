/**
 * The floors the benchmarks measure partoo-links against: the simplest loops that do the same
 * reading, nothing else. Run as a script (`node floors.js read-hash DIR STATE`), a floor is
 * also a process of its own, to be timed against `partoo-links …` started the same way.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { Ajv2020 } from "ajv/dist/2020.js";
import { schemaPath } from "../../../src/package-info.js";

export const FLOORS_SCRIPT = fileURLToPath(import.meta.url);

/**
 * What any offline plan must do: parse the state document, list the stores directory, read
 * and sha256 every store file. Returns the number of files read.
 */
export function readAndHash(dir: string, stateFile: string): number {
  const state = JSON.parse(readFileSync(stateFile, "utf8")) as { stores?: object };
  if (typeof state.stores !== "object") throw new Error(`${stateFile}: no stores`);
  let count = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".yaml")) continue;
    createHash("sha256")
      .update(readFileSync(path.join(dir, name)))
      .digest("hex");
    count++;
  }
  return count;
}

export const READ_AND_HASH =
  "JSON.parse of the state + readdirSync + readFileSync + sha256 per file";

/**
 * What any validate must do: read, parse (yaml) and schema-check (ajv, the store schema) every
 * store file. Returns the function to time (the schema is compiled before), which returns the
 * number of valid files.
 */
export function parseAndCheck(dir: string): () => number {
  const schema = JSON.parse(readFileSync(schemaPath("store.schema.json"), "utf8")) as object;
  const validate = new Ajv2020({ strict: true }).compile(schema);
  return () => {
    let valid = 0;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(".yaml")) continue;
      if (validate(parse(readFileSync(path.join(dir, name), "utf8")))) valid++;
    }
    return valid;
  };
}

export const PARSE_AND_CHECK = "readFileSync + yaml parse + ajv validate per file";

if (process.argv[1] === FLOORS_SCRIPT) {
  const [floor, dir, stateFile] = process.argv.slice(2);
  if (floor !== "read-hash" || dir === undefined || stateFile === undefined) {
    throw new Error("usage: node floors.js read-hash DIR STATE");
  }
  process.stdout.write(`${readAndHash(dir, stateFile)}\n`);
}
