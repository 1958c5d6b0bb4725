/**
 * Interrupts of the built CLI (a child process): the first SIGINT/SIGTERM cancels the
 * requests in flight, even one a server trickles for ever; a second one ends the process at
 * once, after saving the stores Partoo already confirmed.
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { addBusinesses, codeOf, codes, startFleet, url, type Fleet } from "./apply-fleet.js";
import { ensureCliBuilt } from "../helpers/build-cli.js";

let bin: string;
let fleet: Fleet | undefined;
let trickler: Server | undefined;
const sockets = new Set<Socket>();

beforeAll(async () => {
  bin = await ensureCliBuilt();
}, 180_000);

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (trickler ? trickler.close(() => resolve()) : resolve()));
  trickler = undefined;
});

function startCli(args: readonly string[], env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env["PATH"], ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ?? code)),
  );
  return { child, exited, output: () => output };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("SIGTERM ends a drift whose request a server trickles one byte at a time", async () => {
  const timers = new Set<NodeJS.Timeout>();
  trickler = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "application/json" });
    res.write("{");
    const timer = setInterval(() => res.write(" "), 200);
    timers.add(timer);
    res.on("close", () => clearInterval(timer));
  });
  trickler.on("connection", (socket) => sockets.add(socket));
  const port = await new Promise<number>((resolve) =>
    trickler!.listen(0, "127.0.0.1", () => resolve((trickler!.address() as { port: number }).port)),
  );
  fleet = await startFleet();
  await fleet.writeStore("paris-01", { SHOP_ONLINE: [url("paris-01")] });
  const cli = startCli(
    ["drift", "--stores", fleet.storesDir, "--state", `file:${fleet.statePath}`],
    { PARTOO_API_KEY: "pk-0123456789abcdef", PARTOO_API_URL: `http://127.0.0.1:${port}/v2` },
    fleet.dir,
  );
  await pause(1_000);
  const sent = Date.now();
  cli.child.kill("SIGTERM");
  const exit = await cli.exited;
  for (const timer of timers) clearInterval(timer);
  expect(Date.now() - sent).toBeLessThan(3_000);
  expect(exit).toBe(1);
  expect(cli.output()).toMatch(/SIGTERM received: stopping/);
  expect(cli.output()).toMatch(/the run was stopped/);
}, 30_000);

test("a second SIGINT exits at once, after saving every store Partoo confirmed", async () => {
  fleet = await startFleet({ faults: { latencyMs: 30 } });
  const names = codes(60);
  addBusinesses(fleet, names);
  for (const code of names) await fleet.writeStore(code, { SHOP_ONLINE: [url(code)] });
  const cli = startCli(
    ["apply", "--stores", fleet.storesDir, "--state", `file:${fleet.statePath}`],
    fleet.emu.env,
    fleet.dir,
  );
  // Let a few stores be confirmed (write, then read back), well within the 2 s between saves.
  const start = Date.now();
  while (fleet.requests("POST").length < 6 && Date.now() - start < 15_000) await pause(10);
  const signalAt = Date.now();
  cli.child.kill("SIGINT");
  await pause(5);
  cli.child.kill("SIGINT");
  expect(await cli.exited).toBe(130);
  expect(Date.now() - signalAt).toBeLessThan(3_000);
  expect(cli.output()).toMatch(/SIGINT again: saving what is confirmed, then exiting/);

  // A store whose read-back was answered well before the signal was confirmed by then.
  const readBacks = new Map<string, number>();
  const seen = new Set<string>();
  for (const entry of fleet.requests("GET")) {
    const code = codeOf(entry.path);
    if (seen.has(code) && entry.endTime !== undefined) readBacks.set(code, entry.endTime);
    seen.add(code);
  }
  const confirmed = [...readBacks].filter(([, end]) => end < signalAt - 100).map(([c]) => c);
  expect(confirmed.length).toBeGreaterThan(0);
  const saved = Object.keys((await fleet.state()).stores);
  expect(confirmed.filter((code) => !saved.includes(code))).toEqual([]);
}, 30_000);
