/** A small fleet in every situation a plan shows, planned offline and live. */
import { buildLivePlan, buildOfflinePlan } from "../../../src/core/build-plan.js";
import { hashDesiredStore } from "../../../src/core/hash.js";
import type { DesiredStore, LiveLinks, StateDocument } from "../../../src/core/model.js";
import type { Plan } from "../../../src/core/plan.js";
import { selectStoresToPush } from "../../../src/core/select.js";
import { A, B, C, D, applied, live, recordOf, store, want } from "./plan-fixtures.js";

const S = "SHOP_ONLINE";
const T = "FOOD_TAKEOUT";

const before = {
  paris: store({ [S]: want(`${A}*`, B) }, { code: "paris-01" }),
  nice: store({ [S]: want(A) }, { code: "nice-03" }),
  lille: store({ [S]: want(A, B) }, { code: "lille-04" }),
  old: store({ [S]: want(A), [T]: want(B) }, { code: "old-05" }),
  bordeaux: store({ [S]: want(A), [T]: want(C) }, { code: "bordeaux-06" }),
};

export const fleetDesired: DesiredStore[] = [
  store({ [S]: want(A, `${B}*`, C) }, { code: "paris-01" }),
  store({ [S]: want(`${A}*`), [T]: [] }, { code: "lyon-02" }),
  before.nice,
  before.lille,
  store({ [S]: want(A) }, { code: "bordeaux-06" }),
];

export const fleetState: StateDocument = {
  version: 2,
  stores: {
    "paris-01": recordOf(before.paris, { [S]: applied(`1:${A}*`, `2:${B}`) }),
    "nice-03": recordOf(before.nice, { [S]: applied(`3:${A}`) }),
    "lille-04": recordOf(
      before.lille,
      { [S]: applied(`4:${A}`, `5:${B}`) },
      {
        lastAttempt: {
          status: "failed",
          at: "2024-05-02T10:00:00.000Z",
          errorClass: "PartooHttpError:400",
          message: "INVALID_URL",
        },
      },
    ),
    "old-05": recordOf(before.old, { [S]: applied(`6:${A}`), [T]: applied(`7:${B}`) }),
    "bordeaux-06": recordOf(before.bordeaux, { [S]: applied(`8:${A}`), [T]: applied(`9:${C}`) }),
  },
};

export const fleetLive: Record<string, LiveLinks> = {
  // #20: a copy of B added live by someone (drift), deleted; C is created.
  "paris-01": { [S]: live(`1:${A}*`, `2:${B}`, `20:${B}`), FOOD_DELIVERY: live(`21:${D}`) },
  "lyon-02": { [S]: live(`30:${B}`, `31:${C}*!`), [T]: live(`32:${D}`) },
  "lille-04": { [S]: live(`4:${A}`) },
  "old-05": { [S]: live(`6:${A}`), [T]: live(`7:${B}`) },
  "bordeaux-06": { [S]: live(`8:${A}`), [T]: live(`9:${C}`) },
  "nice-03": { [S]: live(`3:${A}`) },
};

function selection(prune: boolean) {
  return selectStoresToPush(
    fleetDesired.map((desired) => ({ code: desired.code, hash: hashDesiredStore(desired) })),
    fleetState,
    { prune },
  );
}

const desiredByCode = new Map(fleetDesired.map((desired) => [desired.code, desired]));

export function fleetOfflinePlan(prune = false): Plan {
  return buildOfflinePlan({
    state: fleetState,
    selection: selection(prune),
    desired: desiredByCode,
  });
}

export function fleetLivePlan(prune = false): Plan {
  const chosen = selection(prune);
  const codes = chosen.push.map((entry) => entry.code);
  return buildLivePlan({
    state: fleetState,
    selection: chosen,
    desired: desiredByCode,
    live: new Map(
      codes.filter((code) => code !== "lille-04").map((code) => [code, fleetLive[code]!]),
    ),
    failures: [
      {
        code: "lille-04",
        address: "c-lille-04",
        message: "Partoo answered 404: Resource not found",
      },
    ],
  });
}
