/** An interrupted `import --all` says so, counts what is left, and exits 1, as apply does. */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../helpers/cli.js";
import { seed, seedBusiness, startTestEmulator, type TestEmulator } from "../helpers/emulator.js";

let emu: TestEmulator | undefined;
let dir: string | undefined;

afterEach(async () => {
  await emu?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  emu = undefined;
  dir = undefined;
});

test("an interrupted import --all exits 1 and says how many were written and how many were not", async () => {
  const codes = Array.from({ length: 20 }, (_, i) => `store-${String(i).padStart(2, "0")}`);
  const controller = new AbortController();
  let reads = 0;
  emu = await startTestEmulator({
    seed: seed(
      ...codes.map((code) =>
        seedBusiness(code, { SHOP_ONLINE: [`https://shop.example.com/${code}`] }),
      ),
    ),
    faults: { latencyMs: 20 },
    onRequest: (entry) => {
      if (entry.path.endsWith("/place_action_links") && ++reads === 5) controller.abort();
    },
  });
  dir = await mkdtemp(path.join(tmpdir(), "partoo-import-interrupt-"));
  const result = await runCli(
    ["import", "--all", "--state", "file:state.json", "--rate-limit", "600000"],
    {
      env: emu.env,
      cwd: dir,
      signal: controller.signal,
    },
  );
  expect(result.code).toBe(1);
  const match =
    /import interrupted: (\d+) written to stores, (\d+) not imported; run the same import again/.exec(
      result.stderr,
    );
  expect(match).not.toBeNull();
  const written = Number(match![1]);
  const files = await readdir(path.join(dir, "stores"));
  expect(files).toHaveLength(written);
  expect(written).toBeGreaterThan(0);
  expect(written + Number(match![2])).toBe(codes.length);
  const state = JSON.parse(await readFile(path.join(dir, "state.json"), "utf8"));
  expect(Object.keys(state.stores)).toHaveLength(written);
});

test("an interrupted import --all --factor writes nothing: no fleet file, no store file, no state", async () => {
  const controller = new AbortController();
  let reads = 0;
  emu = await startTestEmulator({
    seed: seed(
      ...["a-01", "b-01", "c-01", "d-01"].map((code) =>
        seedBusiness(code, { SHOP_ONLINE: [`https://shop.example.com/${code}`] }),
      ),
    ),
    onRequest: (entry) => {
      if (entry.path.endsWith("/place_action_links") && ++reads === 2) controller.abort();
    },
  });
  dir = await mkdtemp(path.join(tmpdir(), "partoo-import-interrupt-"));
  const result = await runCli(["import", "--all", "--factor", "--state", "file:state.json"], {
    env: emu.env,
    cwd: dir,
    signal: controller.signal,
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(
    "import --factor interrupted: nothing written; run the same import again",
  );
  expect(await readdir(path.join(dir, "stores"))).toEqual([]);
  expect((await readdir(dir)).sort()).toEqual(["stores"]);
});
