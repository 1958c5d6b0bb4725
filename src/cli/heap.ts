/**
 * How far V8 lets the heap of a whole-fleet command grow (issue 18). Measured on an apply of
 * 20,000 stores, unpaced, with some 60 MB live at most: by default it peaked at 250-280 MB.
 * - After each full collection V8 lets the old generation grow up to 4× what is live when
 *   collecting is cheap, as it is here: the rest of the peak was garbage not yet collected.
 *   Growth by half of what is live cut the peak by some 60 MB, no slower.
 * - The young generation grows to two 16 MB halves as soon as many objects survive, and an
 *   apply keeps hundreds of requests' objects alive at once: kept at its first size (1 MB
 *   halves), the peak fell by another 35 MB, for about 10 % more CPU (more, shorter
 *   collections), time that waiting on Partoo hides.
 * With both, the peak was 150-165 MB. Process-wide V8 settings, read each time V8 sizes a
 * space. Not set when the user tunes the heap (NODE_OPTIONS or node's flags): theirs wins.
 */
const FLAGS = ["--heap-growing-percent=50"];
const USER_TUNING =
  /--(heap-growing-percent|semi-space-growth-factor|optimize-for-size|max-old-space-size|max-semi-space-size|max-heap-size)\b/;

let bounded = false;

export function boundHeapGrowth(): void {
  if (bounded) return;
  bounded = true;
  const given = [...process.execArgv, process.env["NODE_OPTIONS"] ?? ""].join(" ");
  if (USER_TUNING.test(given)) return;
  const v8 = process.getBuiltinModule("node:v8");
  for (const flag of FLAGS) v8.setFlagsFromString(flag);
}
