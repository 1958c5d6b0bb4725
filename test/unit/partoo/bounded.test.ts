import { getEventListeners } from "node:events";
import { AttemptAbort, DeadlineError } from "../../../src/partoo/bounded.js";

describe("an attempt's abort", () => {
  test("aborts with its parent's reason, once, and stops listening to the others", () => {
    const caller = new AbortController();
    const lifetime = new AbortController();
    const attempt = new AttemptAbort(undefined, [caller.signal, lifetime.signal]);
    let aborts = 0;
    attempt.on("abort", () => aborts++);
    caller.abort(new Error("stop"));
    lifetime.abort(new Error("closed"));
    expect(aborts).toBe(1);
    expect(attempt.aborted).toBe(true);
    expect((attempt.reason as Error).message).toBe("stop");
    expect(attempt.timedOut()).toBe(false);
  });

  test("is aborted at once by a parent already aborted", () => {
    const caller = new AbortController();
    caller.abort(new Error("already"));
    const attempt = new AttemptAbort(1000, [caller.signal]);
    expect(attempt.aborted).toBe(true);
    expect((attempt.reason as Error).message).toBe("already");
  });

  test("times out with a deadline error", async () => {
    const attempt = new AttemptAbort(10, [new AbortController().signal]);
    await new Promise((resolve) => attempt.once("abort", resolve));
    expect(attempt.timedOut()).toBe(true);
    expect(attempt.reason).toBeInstanceOf(DeadlineError);
  });

  test("disposed, it leaves no listener on its parents and its deadline never fires", async () => {
    const lifetime = new AbortController();
    const attempt = new AttemptAbort(10, [lifetime.signal]);
    expect(getEventListeners(lifetime.signal, "abort")).toHaveLength(1);
    attempt.dispose();
    expect(getEventListeners(lifetime.signal, "abort")).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 30));
    lifetime.abort();
    expect(attempt.aborted).toBe(false);
  });
});
