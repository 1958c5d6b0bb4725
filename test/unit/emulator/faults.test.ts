import { FaultInjector, seededRandom } from "../../../src/emulator/faults.js";

describe("fault injection", () => {
  test("next-N faults hit exactly N matching requests", () => {
    const faults = new FaultInjector({ serverErrorNext: 2, methods: ["POST"] });
    expect(faults.early("GET")).toBeUndefined();
    expect(faults.early("POST")).toEqual({ kind: "server-error", status: 503 });
    expect(faults.early("POST")).toEqual({ kind: "server-error", status: 503 });
    expect(faults.early("POST")).toBeUndefined();
  });

  test("a 429 burst comes before 5xx, and lost responses only hit POSTs", () => {
    const faults = new FaultInjector({ rateLimitNext: 1, serverErrorNext: 1, loseResponseNext: 1 });
    expect(faults.early("GET")).toEqual({ kind: "rate-limit" });
    expect(faults.early("GET")).toEqual({ kind: "server-error", status: 503 });
    expect(faults.loseResponse("GET")).toBeUndefined();
    expect(faults.loseResponse("POST")).toBe("reset");
    expect(faults.loseResponse("POST")).toBeUndefined();
  });

  test("probabilistic faults repeat exactly with the same seed", () => {
    const run = () => {
      const faults = new FaultInjector({ serverErrorRate: 0.3 }, seededRandom(42));
      return Array.from({ length: 50 }, () => faults.early("GET")?.kind ?? "ok");
    };
    const first = run();
    expect(run()).toEqual(first);
    const errors = first.filter((kind) => kind === "server-error").length;
    expect(errors).toBeGreaterThan(5);
    expect(errors).toBeLessThan(30);
  });

  test("slow responses add their delay to the latency", () => {
    const faults = new FaultInjector({ latencyMs: 10, slowNext: 1, slowMs: 500 });
    expect(faults.delay("GET")).toEqual({ ms: 510, slow: true });
    expect(faults.delay("GET")).toEqual({ ms: 10, slow: false });
  });

  test("setting faults replaces the previous ones and shows the counters left", () => {
    const faults = new FaultInjector({ serverErrorNext: 3 });
    faults.early("GET");
    expect(faults.current.serverErrorNext).toBe(2);
    faults.set({ rateLimitNext: 1 });
    expect(faults.current).toEqual({
      rateLimitNext: 1,
      serverErrorNext: 0,
      slowNext: 0,
      loseResponseNext: 0,
    });
  });

  test("impossible settings are refused", () => {
    expect(() => new FaultInjector({ serverErrorRate: 2 })).toThrow(/probability/);
    expect(() => new FaultInjector({ latencyMs: -1 })).toThrow(/at least 0/);
  });
});
