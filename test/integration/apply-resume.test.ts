/**
 * An apply killed mid-run (SIGKILL: no chance to save anything more) and run again: the
 * built CLI runs as a child process against the emulator with latency, so that the kill
 * lands between stores, between a write and its read-back, or during a write.
 */
import { spawn } from "node:child_process";
import {
  addBusinesses,
  codeOf,
  codes,
  liveMismatches,
  startFleet,
  url,
  type Fleet,
} from "./apply-fleet.js";
import { ensureCliBuilt } from "../helpers/build-cli.js";

let bin: string;

beforeAll(async () => {
  // CI builds on `npm ci` (prepare); a working copy edited since its last build is rebuilt.
  bin = await ensureCliBuilt();
}, 180_000);

let fleet: Fleet;

afterEach(async () => {
  await fleet?.close();
});

test("an apply killed mid-run and run again converges, with no duplicate and no write sent twice", async () => {
  fleet = await startFleet({ faults: { latencyMs: 40 } });
  const names = codes(80);
  addBusinesses(fleet, names, (code) => ({ SHOP_ONLINE: [{ value: url(code, "/old") }] }));
  for (const code of names) {
    await fleet.writeStore(code, {
      SHOP_ONLINE: [{ url: url(code), preferred: true }, url(code, "/gifts")],
    });
  }
  const child = spawn(
    process.execPath,
    [bin, "apply", "--stores", fleet.storesDir, "--state", `file:${fleet.statePath}`],
    {
      cwd: fleet.dir,
      env: { PATH: process.env["PATH"], ...fleet.emu.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ?? code)),
  );

  // Completed stores are saved every 2 s: wait for the first save, let a few more stores
  // be written (and not saved), then kill.
  const deadline = Date.now() + 15_000;
  while ((await fleet.stateText()) === "" && Date.now() < deadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  expect(output).not.toContain(fleet.emu.apiKey);

  const saved = Object.keys((await fleet.state()).stores);
  // A POST with a body was received whole, hence applied by the emulator.
  const written = new Set(
    fleet
      .requests("POST")
      .filter((entry) => entry.body !== undefined)
      .map((entry) => codeOf(entry.path)),
  );
  expect(saved.length).toBeGreaterThan(0);
  expect(written.size).toBeLessThan(names.length);
  // Some stores were written after the save: only live can tell the next run about them.
  expect([...written].filter((code) => !saved.includes(code)).length).toBeGreaterThan(0);

  fleet.emu.emulator.clearRequests();
  fleet.emu.emulator.setFaults({});
  const again = await fleet.run(["apply", "--concurrency", "8"]);
  expect(again.code).toBe(0);
  const touched = new Set(fleet.requests().map((entry) => codeOf(entry.path)));
  expect(saved.filter((code) => touched.has(code))).toEqual([]);
  const posted = fleet.postedCodes();
  expect(posted.filter((code) => written.has(code))).toEqual([]);
  expect(posted.sort()).toEqual(names.filter((code) => !written.has(code)));

  expect(liveMismatches(fleet)).toEqual([]);
  const state = await fleet.state();
  expect(Object.keys(state.stores).sort()).toEqual(names);
  for (const code of names) expect(state.stores[code]!.lastAttempt?.status).toBe("ok");
}, 30_000);
