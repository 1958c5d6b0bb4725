/**
 * The fast path changes nothing but the cost: on generated, mutated and hostile texts,
 * parseStore (fast path first) gives exactly what the full positioned path gives, messages
 * included; and the shipped examples and the benchmarks' fleets all take the fast path.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseStore, parseStoreFully } from "../../../src/files/parse-store.js";
import { checkStoreFast } from "../../../src/files/check-store-fast.js";
import { parseFleetText } from "../../../src/files/parse-fleet.js";
import { seededRandom } from "../../../src/emulator/faults.js";
import type { Fleet } from "../../../src/core/fleet.js";
import { packageRoot } from "../../../src/package-info.js";
import {
  generateStore,
  GENERATED_FLEET_FILE,
  generatedCode,
  storeYaml,
  thinStoreYaml,
} from "../../bench/generate-stores.js";
import { CODE, hostileTexts } from "../../fixtures/hostile/corpus.js";
import { mutate, storeText } from "../../fixtures/store-texts.js";

const SEED = Number(process.env["FAST_SEED"] ?? Math.floor(Math.random() * 2 ** 31));

function fleetOf(text: string, file: string): Fleet {
  const { fleet, issues } = parseFleetText(text, file);
  if (fleet === undefined) throw new Error(issues.map((issue) => issue.message).join("\n"));
  return fleet;
}

const generatedFleet = fleetOf(GENERATED_FLEET_FILE, "partoo-links.yaml");

/**
 * Whether the text takes the fast path; when it does, parseStore must give what the full
 * path gives: the same store, no message. (Otherwise parseStore is the full path itself.)
 */
function expectSamePaths(text: string, file: string, code: string, fleet?: Fleet): boolean {
  if (checkStoreFast(text, code, fleet) === undefined) return false;
  const both = parseStore(text, file, code, fleet);
  const full = parseStoreFully(text, file, code, fleet);
  expect({ text, result: both }).toStrictEqual({ text, result: full });
  expect(full.issues).toEqual([]);
  return true;
}

test(`parseStore gives the full path's result on generated texts (FAST_SEED=${SEED})`, () => {
  const random = seededRandom(SEED);
  let fast = 0;
  const cases = 4000;
  for (let index = 0; index < cases; index++) {
    let text = storeText(random);
    if (random() < 0.3) text = mutate(text, random);
    const code = random() < 0.9 ? "paris-01" : "lyon-01";
    const fleet = random() < 0.3 ? generatedFleet : undefined;
    if (expectSamePaths(text, "stores/paris-01.yaml", code, fleet)) fast++;
  }
  // The comparison means something only if both paths were taken often.
  expect(fast).toBeGreaterThan(cases / 70);
  expect(fast).toBeLessThan(cases);
});

test("no invalid file of the hostile corpus takes the fast path", () => {
  const cases = hostileTexts();
  const invalid = cases.filter((item) => item.expect === "invalid");
  expect(invalid.length).toBeGreaterThan(10);
  for (const { name, text } of invalid) {
    expect({ name, fast: checkStoreFast(text, CODE, undefined) }).toEqual({
      name,
      fast: undefined,
    });
  }
  for (const { text } of cases) expectSamePaths(text, `stores/${CODE}.yaml`, CODE);
});

test("every shipped example store takes the fast path, with the shipped fleet file", () => {
  const root = packageRoot();
  const fleet = fleetOf(
    readFileSync(path.join(root, "partoo-links.yaml"), "utf8"),
    "partoo-links.yaml",
  );
  const files = readdirSync(path.join(root, "stores")).filter((name) => name.endsWith(".yaml"));
  expect(files.length).toBeGreaterThan(0);
  const fast = files.filter((name) => {
    const text = readFileSync(path.join(root, "stores", name), "utf8");
    return expectSamePaths(text, `stores/${name}`, name.slice(0, -".yaml".length), fleet);
  });
  expect(fast).toEqual(files);
});

test("the benchmarks' generated stores all take the fast path", () => {
  const random = seededRandom(7);
  let fast = 0;
  const count = 300;
  for (let index = 0; index < count; index++) {
    const code = generatedCode(index);
    const full = storeYaml(generateStore(index, random, 0.5));
    const thin = thinStoreYaml(index, random, index % 7 === 0);
    if (expectSamePaths(full, `stores/${code}.yaml`, code)) fast++;
    if (expectSamePaths(thin, `stores/${code}.yaml`, code, generatedFleet)) fast++;
  }
  expect(fast).toBe(2 * count);
});
