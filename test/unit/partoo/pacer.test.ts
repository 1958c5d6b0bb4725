import { createPacer, createSlots, PACING_HEADROOM } from "../../../src/partoo/pacer.js";

/** A fake clock: sleep advances time, optionally by more than asked (a late timer). */
function fakeClock(lateByMs = 0) {
  let time = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
    sleeps,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      await Promise.resolve();
      time += ms + lateByMs;
      signal?.throwIfAborted();
    },
  };
}

async function turns(pacer: ReturnType<typeof createPacer>, count: number, now: () => number) {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: count }, () => pacer.acquire().then(() => times.push(now()))),
  );
  return times;
}

describe("the pacer", () => {
  test("turns are evenly spaced, slightly under the configured rate", async () => {
    const clock = fakeClock();
    const pacer = createPacer({ requestsPerMinute: 600, ...clock });
    const times = await turns(pacer, 10, clock.now);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const expected = 60_000 / (600 * PACING_HEADROOM);
    expect(pacer.intervalMs).toBeCloseTo(expected);
    for (const gap of gaps) expect(gap).toBeCloseTo(expected);
    // 9 gaps over 10 requests: never faster than the limit.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual((9 * 60_000) / 600);
  });

  test("a timer that wakes slightly late keeps the schedule, without drifting", async () => {
    const clock = fakeClock(2);
    const pacer = createPacer({ requestsPerMinute: 600, ...clock });
    const times = await turns(pacer, 11, clock.now);
    expect(times.at(-1)! - times[0]!).toBeLessThanOrEqual(10 * pacer.intervalMs + 2);
  });

  test("after a long stall the schedule restarts: no catch-up burst", async () => {
    const clock = fakeClock(150);
    const pacer = createPacer({ requestsPerMinute: 600, ...clock });
    const times = await turns(pacer, 6, clock.now);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(pacer.intervalMs);
  });

  test("pauseUntil holds every turn until the pause ends, then spacing resumes", async () => {
    const clock = fakeClock();
    const pacer = createPacer({ requestsPerMinute: 600, ...clock });
    await pacer.acquire();
    const pausedAt = clock.now();
    pacer.pauseUntil(pausedAt + 5_000);
    const times = await turns(pacer, 3, clock.now);
    expect(times[0]).toBeGreaterThanOrEqual(pausedAt + 5_000);
    expect(times[1]! - times[0]!).toBeCloseTo(pacer.intervalMs);
  });

  test("a shorter pause never shortens a longer one", async () => {
    const clock = fakeClock();
    const pacer = createPacer({ requestsPerMinute: Infinity, ...clock });
    const start = clock.now();
    pacer.pauseUntil(start + 2_000);
    pacer.pauseUntil(start + 500);
    await pacer.acquire();
    expect(clock.now()).toBeGreaterThanOrEqual(start + 2_000);
  });

  test("a burst lets a few leave back to back after an idle time, then spaces the rest", async () => {
    const clock = fakeClock();
    const pacer = createPacer({ requestsPerMinute: 600, burst: 3, ...clock });
    await pacer.acquire();
    clock.advance(10_000);
    const start = clock.now();
    const times = await turns(pacer, 5, clock.now);
    expect(times.slice(0, 3)).toEqual([start, start, start]);
    expect(times[3]).toBeGreaterThan(start);
  });

  test("an aborted waiter rejects at once and takes no turn", async () => {
    const clock = fakeClock();
    const pacer = createPacer({ requestsPerMinute: 60, ...clock });
    await pacer.acquire();
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(pacer.acquire(controller.signal)).rejects.toThrow("stop");
    const before = clock.now();
    await pacer.acquire();
    // The next caller waits one interval from the first turn, not two.
    expect(clock.now() - before).toBeLessThan(1.5 * pacer.intervalMs);
  });

  test("acquire reports the time waited", async () => {
    const clock = fakeClock();
    const pacer = createPacer({ requestsPerMinute: 600, ...clock });
    expect(await pacer.acquire()).toBe(0);
    expect(await pacer.acquire()).toBeCloseTo(pacer.intervalMs);
  });
  test("tryAcquire takes a due turn at once, and none while paused or while someone waits", async () => {
    const clock = fakeClock();
    const pacer = createPacer({ requestsPerMinute: 600, ...clock });
    expect(pacer.tryAcquire()).toBe(true);
    expect(pacer.tryAcquire()).toBe(false);
    const waiter = pacer.acquire();
    clock.advance(pacer.intervalMs);
    // Due now, but a caller already waits: it goes first.
    expect(pacer.tryAcquire()).toBe(false);
    await waiter;
    clock.advance(pacer.intervalMs);
    pacer.pauseUntil(clock.now() + 1000);
    expect(pacer.tryAcquire()).toBe(false);
    clock.advance(1000);
    expect(pacer.tryAcquire()).toBe(true);
  });
});

describe("the concurrency slots", () => {
  test("bound how many hold a slot at once and serve waiters in call order", async () => {
    const slots = createSlots(2);
    const order: number[] = [];
    await slots.acquire();
    await slots.acquire();
    const third = slots.acquire().then(() => order.push(3));
    const fourth = slots.acquire().then(() => order.push(4));
    await Promise.resolve();
    expect(order).toEqual([]);
    slots.release();
    await third;
    expect(order).toEqual([3]);
    slots.release();
    await fourth;
    expect(order).toEqual([3, 4]);
  });

  test("a waiter aborted while queued leaves the queue", async () => {
    const slots = createSlots(1);
    await slots.acquire();
    const controller = new AbortController();
    const aborted = slots.acquire(controller.signal);
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    slots.release();
    await expect(slots.acquire()).resolves.toBeUndefined();
  });

  test("tryAcquire takes a free slot, and none when all are held or someone waits", async () => {
    const slots = createSlots(1);
    expect(slots.tryAcquire()).toBe(true);
    expect(slots.tryAcquire()).toBe(false);
    const waiter = slots.acquire();
    slots.release();
    await waiter;
    slots.release();
    expect(slots.tryAcquire()).toBe(true);
  });
});
