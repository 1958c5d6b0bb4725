import { backoffDelay, DEFAULT_RETRIES, parseRetryAfter } from "../../../src/partoo/retry.js";

describe("backoff", () => {
  const options = { ...DEFAULT_RETRIES, baseDelayMs: 100, maxDelayMs: 1_000 };

  test("doubles each retry and keeps a random half of the step", () => {
    expect(backoffDelay(0, options, () => 0)).toBe(50);
    expect(backoffDelay(0, options, () => 1)).toBe(100);
    expect(backoffDelay(2, options, () => 0)).toBe(200);
    expect(backoffDelay(2, options, () => 0.5)).toBe(300);
  });

  test("never exceeds the maximum delay", () => {
    expect(backoffDelay(20, options, () => 1)).toBe(1_000);
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");

  test("reads delta-seconds, fractions included", () => {
    expect(parseRetryAfter("60", now)).toBe(60_000);
    expect(parseRetryAfter(" 0.25 ", now)).toBe(250);
  });

  test("reads an HTTP date as the time left until it", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 11:00:00 GMT", now)).toBe(0);
  });

  test("is undefined when absent or unreadable", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});
