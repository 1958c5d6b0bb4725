/**
 * The fast path of a store file (issue 18): read by the fast reader, checked by the schema
 * and the store rules without positions. It gives a result only for a file with nothing to
 * report; any doubt, error or warning is left to the full path (parse-store.ts), which places
 * every message as before. This module must not load the yaml library: a run where every
 * file takes this path never does.
 */
import type { DesiredStore } from "../core/model.js";
import { expandStore, type Fleet } from "../core/fleet.js";
import { urlProblem } from "../core/link-url.js";
import { MAX_FILE_BYTES } from "./limits.js";
import type { StoreIssue } from "./issues.js";
import { isPlainObject } from "./findings.js";
// The fast validator alone: the one that lists every error loads with the full path.
import { validateStoreFast } from "../generated/store-fast.js";
import { storeInputOf, storeRuleFindings } from "./store-rules.js";
import { NOT_SURE, readStoreFast } from "./fast-store-reader.js";

export interface ParsedStore {
  store?: DesiredStore;
  issues: StoreIssue[];
  /** The declared code and business_id, for the checks across files, even when invalid elsewhere. */
  code?: string;
  businessId?: string;
}

/** A profile's place is only ever shown in a problem, and a problem sends the file to the full path. */
const UNPLACED = { line: 0, column: 0 };

/** The parsed store of a file with nothing to report, or undefined: the full path decides. */
export function checkStoreFast(
  text: string,
  expectedCode: string,
  fleet: Fleet | undefined,
): ParsedStore | undefined {
  if (text.length > MAX_FILE_BYTES) return undefined;
  const data = readStoreFast(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (data === NOT_SURE || !isPlainObject(data)) return undefined;
  if (!validateStoreFast(data)) return undefined;
  if (storeRuleFindings(data, expectedCode).length > 0) return undefined;
  const profile = data["profile"];
  const input = {
    ...storeInputOf(data),
    ...(typeof profile === "string" ? { profile: { name: profile, ...UNPLACED } } : {}),
  };
  const expansion = expandStore(input, fleet, urlProblem);
  if (expansion.problems !== undefined || expansion.notes.length > 0) return undefined;
  const parsed: ParsedStore = { issues: [], store: expansion.store };
  if (typeof data["code"] === "string") parsed.code = data["code"];
  if (typeof data["business_id"] === "string") parsed.businessId = data["business_id"];
  return parsed;
}
