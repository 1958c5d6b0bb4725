/**
 * Two applies at once on one `file:` state (two terminals, an overlapping cron job): the
 * built CLI runs twice as child processes against the emulator, each saving its records
 * every couple of seconds. Every confirmed record of both must be in the final document.
 * The state starts with thousands of records of other stores, so that each save takes long
 * enough for the two runs' saves to overlap.
 */
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import {
  addBusinesses,
  codes,
  liveMismatches,
  startFleet,
  url,
  type Fleet,
} from "./apply-fleet.js";
import { ensureCliBuilt } from "../helpers/build-cli.js";
import { createFileStateBackend } from "../../src/state/file.js";
import type { StoreRecord } from "../../src/core/model.js";

let bin: string;

beforeAll(async () => {
  bin = await ensureCliBuilt();
}, 180_000);

let fleet: Fleet;

afterEach(async () => {
  await fleet?.close();
});

function apply(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    [
      bin,
      "apply",
      "--stores",
      fleet.storesDir,
      "--state",
      `file:${fleet.statePath}`,
      "--rate-limit",
      "600000",
      ...args,
    ],
    {
      cwd: fleet.dir,
      env: { PATH: process.env["PATH"], ...fleet.emu.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

test("two applies racing on one state file both succeed and lose no record", async () => {
  // Latency spreads each run over several seconds, so both save several times, interleaved.
  fleet = await startFleet({ faults: { latencyMs: 25 } });
  const names = codes(120);
  addBusinesses(fleet, names, (code) => ({ SHOP_ONLINE: [{ value: url(code, "/old") }] }));
  for (const code of names) {
    await fleet.writeStore(code, { SHOP_ONLINE: [{ url: url(code), preferred: true }] });
  }
  const others = await seedOtherRecords(6_000);
  const first = names.filter((_, index) => index % 2 === 0);
  const second = names.filter((_, index) => index % 2 === 1);
  const [a, b] = await Promise.all([
    apply(["--only", first.join(","), "--concurrency", "2"]),
    apply(["--only", second.join(","), "--concurrency", "2"]),
  ]);
  expect(a).toMatchObject({ code: 0 });
  expect(b).toMatchObject({ code: 0 });
  expect(a.output + b.output).not.toContain(fleet.emu.apiKey);

  const state = await fleet.state();
  expect(Object.keys(state.stores).sort()).toEqual([...names, ...others].sort());
  for (const code of names) expect(state.stores[code]!.lastAttempt?.status).toBe("ok");
  expect(liveMismatches(fleet)).toEqual([]);
  // No lock, no temporary file left behind.
  expect(
    (await readdir(path.dirname(fleet.statePath))).filter(
      (name) => name.startsWith("state") || name.startsWith("."),
    ),
  ).toEqual(["state.json"]);

  // And the next run has nothing to send (--only reads live, and finds it matches).
  fleet.emu.emulator.clearRequests();
  const again = await fleet.run(["apply", "--only", names.join(",")]);
  expect(again.code).toBe(0);
  expect(fleet.requests("POST")).toEqual([]);
}, 120_000);

/** Records of stores these runs do not touch (with --only, stores without a file are kept). */
async function seedOtherRecords(count: number): Promise<string[]> {
  const record = (index: number): StoreRecord => ({
    address: `c-other-${index}`,
    hash: "a".repeat(64),
    links: {
      SHOP_ONLINE: [
        { id: index, url: `https://shop.example.com/other-${index}`, preferred: false },
      ],
    },
    appliedAt: "2024-05-01T10:00:00.000Z",
    lastAttempt: { status: "ok", at: "2024-05-01T10:00:00.000Z" },
  });
  const codesOfOthers = Array.from({ length: count }, (_, index) => `other-${index}`);
  await createFileStateBackend(fleet.statePath).update(
    Object.fromEntries(codesOfOthers.map((code, index) => [code, record(index)])),
  );
  return codesOfOthers;
}
