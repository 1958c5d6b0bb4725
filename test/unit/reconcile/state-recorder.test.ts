import { StateRecorder } from "../../../src/reconcile/state-recorder.js";
import type { StateBackend } from "../../../src/state/backend.js";
import { emptyState, type StoreRecord } from "../../../src/core/model.js";

const record = (code: string): StoreRecord => ({
  address: `c-${code}`,
  lastAttempt: { status: "ok", at: "2024-06-01T12:00:00.000Z" },
});

/** A backend that keeps every update; `hold` makes updates wait until released, `fail` rejects them. */
function fakeBackend() {
  const updates: Record<string, StoreRecord | null>[] = [];
  let held: (() => void)[] = [];
  const backend = {
    hold: false,
    fail: undefined as Error | undefined,
    updates,
    release() {
      const waiting = held;
      held = [];
      for (const resume of waiting) resume();
    },
    description: "fake",
    read: async () => emptyState(),
    async update(changes: Readonly<Record<string, StoreRecord | null>>) {
      if (backend.hold) await new Promise<void>((resolve) => held.push(resolve));
      if (backend.fail !== undefined) throw backend.fail;
      updates.push({ ...changes });
    },
  };
  return backend satisfies StateBackend;
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("the state recorder", () => {
  test("saves nothing before the interval, then every store recorded so far in one update", async () => {
    const backend = fakeBackend();
    let time = 0;
    const recorder = new StateRecorder(backend, 1000, () => time);
    recorder.record("a-1", record("a-1"));
    time = 500;
    recorder.record("b-1", record("b-1"));
    await settle();
    expect(backend.updates).toEqual([]);
    time = 1000;
    recorder.record("c-1", null);
    await settle();
    expect(backend.updates).toEqual([{ "a-1": record("a-1"), "b-1": record("b-1"), "c-1": null }]);
  });

  test("flush saves what is pending and resolves once it is written; with nothing pending it writes nothing", async () => {
    const backend = fakeBackend();
    const recorder = new StateRecorder(backend, 60_000, () => 0);
    await recorder.flush();
    expect(backend.updates).toEqual([]);
    recorder.record("a-1", record("a-1"));
    recorder.record("a-1", null);
    await recorder.flush();
    expect(backend.updates).toEqual([{ "a-1": null }]);
    await recorder.flush();
    expect(backend.updates).toHaveLength(1);
  });

  test("keeps a batch that could not be saved, reports the error, and saves it with the next flush", async () => {
    const backend = fakeBackend();
    const recorder = new StateRecorder(backend, 60_000, () => 0);
    recorder.record("a-1", record("a-1"));
    recorder.record("b-1", record("b-1"));
    backend.fail = new Error("disk full");
    await expect(recorder.flush()).rejects.toThrow("disk full");
    expect(recorder.error).toBe(backend.fail);
    // A newer record of the same store wins over the kept one.
    recorder.record("b-1", null);
    backend.fail = undefined;
    await recorder.flush();
    expect(backend.updates).toEqual([{ "a-1": record("a-1"), "b-1": null }]);
  });

  test("a save started by record that fails stops the run without an unhandled rejection", async () => {
    const backend = fakeBackend();
    let time = 0;
    const recorder = new StateRecorder(backend, 10, () => time);
    backend.fail = new Error("conflict");
    time = 10;
    recorder.record("a-1", record("a-1"));
    await settle();
    expect(recorder.error).toBe(backend.fail);
    backend.fail = undefined;
    await recorder.flush();
    expect(backend.updates).toEqual([{ "a-1": record("a-1") }]);
  });

  test("saves one store at a time in order: a flush waits for the save in progress", async () => {
    const backend = fakeBackend();
    const recorder = new StateRecorder(backend, 60_000, () => 0);
    backend.hold = true;
    recorder.record("a-1", record("a-1"));
    const first = recorder.flush();
    await settle();
    recorder.record("b-1", record("b-1"));
    let secondDone = false;
    const second = recorder.flush().then(() => (secondDone = true));
    await settle();
    expect(secondDone).toBe(false);
    backend.release();
    await first;
    await settle();
    backend.release();
    await second;
    expect(backend.updates).toEqual([{ "a-1": record("a-1") }, { "b-1": record("b-1") }]);
  });

  test("while a slow save is in progress, stores completing meanwhile wait for one next save", async () => {
    const backend = fakeBackend();
    let time = 0;
    const recorder = new StateRecorder(backend, 100, () => time);
    backend.hold = true;
    time = 100;
    recorder.record("a-1", record("a-1"));
    await settle();
    // The save of a-1 is slow (e.g. a commit on GitHub); five stores complete meanwhile.
    for (const code of ["b-1", "c-1", "d-1", "e-1", "f-1"]) {
      time += 100;
      recorder.record(code, record(code));
      await settle();
    }
    backend.hold = false;
    backend.release();
    await recorder.flush();
    expect(backend.updates.map((update) => Object.keys(update))).toEqual([
      ["a-1"],
      ["b-1", "c-1", "d-1", "e-1", "f-1"],
    ]);
  });

  test("after a slow save the next one waits ten times as long as it took, so a slow backend is not written back to back", async () => {
    const backend = fakeBackend();
    let time = 0;
    const recorder = new StateRecorder(backend, 1000, () => time);
    backend.hold = true;
    time = 1000;
    recorder.record("a-1", record("a-1"));
    await settle();
    // The save takes 4 s (a commit on GitHub): the next one may start 40 s after it started.
    time = 5000;
    backend.hold = false;
    backend.release();
    await settle();
    time = 40_000;
    recorder.record("b-1", record("b-1"));
    await settle();
    expect(backend.updates).toEqual([{ "a-1": record("a-1") }]);
    time = 41_000;
    recorder.record("c-1", record("c-1"));
    await settle();
    expect(backend.updates).toEqual([
      { "a-1": record("a-1") },
      { "b-1": record("b-1"), "c-1": record("c-1") },
    ]);
  });
});
