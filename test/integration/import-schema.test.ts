/** Imported files name the store schema by a path that is right for their --stores. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../helpers/cli.js";
import { seed, seedBusiness, startTestEmulator, type TestEmulator } from "../helpers/emulator.js";
import { schemaPath } from "../../src/package-info.js";

let emu: TestEmulator;
let dir: string;

beforeEach(async () => {
  emu = await startTestEmulator({ seed: seed(seedBusiness("paris-01", {})) });
  dir = await mkdtemp(path.join(tmpdir(), "partoo-import-schema-"));
});
afterEach(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

const firstLine = async (file: string) => (await readFile(file, "utf8")).split("\n", 1)[0];
const importInto = (stores: string) =>
  runCli(["import", "--code", "paris-01", "--stores", stores, "--state", "file:state.json"], {
    env: emu.env,
    cwd: dir,
  });

test("a nested --stores points at the repository's schemas/ from where the file is", async () => {
  await mkdir(path.join(dir, ".git"));
  await mkdir(path.join(dir, "schemas"));
  await writeFile(path.join(dir, "schemas", "store.schema.json"), "{}");
  expect((await importInto("fleet/eu/stores")).code).toBe(0);
  expect(await firstLine(path.join(dir, "fleet/eu/stores/paris-01.yaml"))).toBe(
    "# yaml-language-server: $schema=../../../schemas/store.schema.json",
  );
});

test("without schemas/ in the repository, the file points at the package's schema", async () => {
  expect((await importInto("stores")).code).toBe(0);
  const line = await firstLine(path.join(dir, "stores/paris-01.yaml"));
  const reference = line!.replace("# yaml-language-server: $schema=", "");
  expect(path.resolve(dir, "stores", decodeURI(reference))).toBe(schemaPath("store.schema.json"));
});
