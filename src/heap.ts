/**
 * How far V8 lets the heap of a whole-fleet command grow (issue 18). Measured on an apply of
 * 20,000 stores, unpaced, with some 60 MB live at most: by default it peaked at 250-280 MB.
 * - After each full collection V8 lets the old generation grow up to 4× what is live when
 *   collecting is cheap, as it is here: much of the peak was garbage not yet collected.
 *   Growth by half of what is live: peak 184-205 MB, no slower.
 * - The young generation grows to two 16 MB halves as soon as many objects survive a
 *   collection, as they do while files are read and while requests are in flight. Kept at
 *   its first size (1 MB halves) while the files are read, then let grow to 4 MB halves
 *   once requests start (at 1 MB an apply took 35 % more CPU): peak 161-176 MB, for about
 *   8 % more time on an unpaced apply of 10,000 stores.
 * Process-wide V8 settings (v8.setFlagsFromString), which V8 reads each time it sizes a
 * space. None is set when the user tunes the heap (NODE_OPTIONS or node's flags): theirs wins.
 */
import type { PerformanceObserver as Observer } from "node:perf_hooks";

const OLD_GENERATION_GROWTH = "--heap-growing-percent=50";
/** The young generation (both halves) once requests are in flight. */
const YOUNG_GENERATION_BYTES = 8 * 1024 * 1024;
const USER_TUNING =
  /--(heap-growing-percent|semi-space-growth-factor|optimize-for-size|max-old-space-size|max-semi-space-size|max-heap-size)\b/;

type HeapState = "default" | "user" | "bounded" | "widened";
let state: HeapState = "default";

const v8 = () => process.getBuiltinModule("node:v8");

/** At the start of a whole-fleet command: both generations kept small. `nodeOptions`: NODE_OPTIONS. */
export function boundHeapGrowth(nodeOptions: string | undefined): void {
  if (state !== "default") return;
  const given = [...process.execArgv, nodeOptions ?? ""].join(" ");
  if (USER_TUNING.test(given)) {
    state = "user";
    return;
  }
  state = "bounded";
  v8().setFlagsFromString(OLD_GENERATION_GROWTH);
  v8().setFlagsFromString("--semi-space-growth-factor=1");
}

/**
 * When the first request leaves: the young generation may grow once, from 1 MB halves to 4 MB
 * halves (V8 grows it by the factor, at a collection many objects survive), and is held
 * there from the first collection that finds it that large. Nothing unless bounded.
 */
export function widenYoungGeneration(): void {
  if (state !== "bounded") return;
  state = "widened";
  v8().setFlagsFromString("--semi-space-growth-factor=4");
  const { PerformanceObserver } = process.getBuiltinModule("node:perf_hooks");
  const observer: Observer = new PerformanceObserver(() => {
    const young = v8()
      .getHeapSpaceStatistics()
      .find((space) => space.space_name === "new_space");
    if (young !== undefined && young.space_size < YOUNG_GENERATION_BYTES) return;
    v8().setFlagsFromString("--semi-space-growth-factor=1");
    observer.disconnect();
  });
  observer.observe({ entryTypes: ["gc"] });
}
