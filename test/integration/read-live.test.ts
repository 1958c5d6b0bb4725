/** Reading the live links of many stores against the emulator: one failure is one store's. */
import { readLiveLinks } from "../../src/reconcile/read-live.js";
import { PartooStoppedError } from "../../src/partoo/client.js";
import { seed, seedBusiness, startTestEmulator, type TestEmulator } from "../helpers/emulator.js";

let emu: TestEmulator;
beforeEach(async () => {
  emu = await startTestEmulator({
    seed: seed(
      seedBusiness("paris-01", { SHOP_ONLINE: ["https://shop.example.com/paris-01"] }),
      seedBusiness("lyon-01"),
    ),
  });
});
afterEach(() => emu.close());

const targets = ["paris-01", "ghost-01", "lyon-01"].map((code) => ({ code, address: `c-${code}` }));

test("a store that cannot be read is a failure of its own; the others are read", async () => {
  const reads: boolean[] = [];
  const result = await readLiveLinks(emu.client(), targets, {
    workers: 2,
    onRead: (failed) => reads.push(failed),
  });
  expect([...result.live.keys()].sort()).toEqual(["lyon-01", "paris-01"]);
  expect(result.live.get("paris-01")!["SHOP_ONLINE"]![0]!.url).toBe(
    "https://shop.example.com/paris-01",
  );
  expect(result.failures).toEqual([
    { code: "ghost-01", address: "c-ghost-01", message: expect.stringContaining("ghost-01") },
  ]);
  expect(reads.sort()).toEqual([false, false, true]);
});

test("a rejected key stops every read", async () => {
  const client = emu.client({ apiKey: "not-the-key-of-this-emulator" });
  await expect(readLiveLinks(client, targets)).rejects.toBeInstanceOf(PartooStoppedError);
});

test("no targets, no request", async () => {
  const result = await readLiveLinks(emu.client(), []);
  expect(result.live.size).toBe(0);
  expect(emu.emulator.requests).toHaveLength(0);
});
