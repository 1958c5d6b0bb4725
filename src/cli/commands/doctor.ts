/**
 * `partoo-links doctor`: a read-only look at the API behind --api-url, to confirm in a
 * minute the wire assumptions the README's "Against the real API" lists: the key, its
 * role, one business and its links, the search's pages and its status filter. GET only.
 */
import type { Command } from "../command.js";
import { apiUrlOption, formatOption, parseFormat, rateLimitOption } from "../options.js";
import { AppError } from "../../errors.js";
import { codeAddress } from "../../core/model.js";
import { placeActionTypes } from "../../files/index.js";
import { quoted } from "../../importer/partoo-values.js";
import { PartooHttpError, type PartooApi } from "../../partoo/client.js";
import { BUSINESS_STATUSES } from "../../partoo/wire.js";

const FORMATS = ["text", "json"] as const;

interface Check {
  readonly name: string;
  readonly result: "ok" | "warning" | "failed";
  readonly detail: string;
}

export const doctorCommand: Command = {
  name: "doctor",
  summary: "check, read-only, that the Partoo API answers as partoo-links assumes",
  description: `Reads (GET only) the API behind --api-url with PARTOO_API_KEY: whether the key is
accepted, whether it may address stores by c-{code} (not a PROVIDER key), one business and
its links, every page of the business search against its count, and the status filter.

Exit codes: 0 every check passed (warnings allowed), 1 a check failed.`,
  options: { ...formatOption(FORMATS), ...apiUrlOption, ...rateLimitOption },
  async run({ options, io, services }) {
    const format = parseFormat(options, FORMATS);
    const checks = await services.partoo.use("doctor", runChecks);
    io.stdout.write(
      format === "json"
        ? `${JSON.stringify({ checks }, null, 2)}\n`
        : checks.map((c) => `${MARK[c.result]} ${c.name}: ${c.detail}\n`).join(""),
    );
    return checks.some((check) => check.result === "failed") ? 1 : 0;
  },
};

const MARK = { ok: "✓", warning: "!", failed: "✗" } as const;

/** A value from Partoo, as it may be printed. */
const shown = (value: string) => (/^[A-Za-z0-9._-]{1,100}$/.test(value) ? value : quoted(value));

async function runChecks(client: PartooApi): Promise<Check[]> {
  const checks: Check[] = [];
  const failed = (name: string, error: unknown): Check[] => {
    if (!(error instanceof AppError)) throw error;
    return [...checks, { name, result: "failed", detail: error.message }];
  };
  let all;
  try {
    all = await client.searchBusinesses();
  } catch (error) {
    return failed("key and search", error);
  }
  checks.push({
    name: "key and search",
    result: "ok",
    detail: `the key is accepted; every page of the search adds up to its count (${all.length} businesses)`,
  });
  const byStatus = new Map<string, number>();
  for (const business of all)
    byStatus.set(business.status, (byStatus.get(business.status) ?? 0) + 1);
  const counts = [...byStatus].map(([status, n]) => `${shown(status)} ${n}`).join(", ");
  const unknown = [...byStatus.keys()].filter(
    (status) => !(BUSINESS_STATUSES as readonly string[]).includes(status),
  );
  const open = byStatus.get("open") ?? 0;
  try {
    const onlyOpen = await client.searchBusinesses({ statuses: ["open"] });
    const others = all.length - open;
    checks.push(
      unknown.length > 0
        ? {
            name: "status filter",
            result: "warning",
            detail: `statuses partoo-links does not list: ${unknown.map(shown).join(", ")} (${counts})`,
          }
        : others === 0
          ? {
              name: "status filter",
              result: "warning",
              detail: `every business found is open, so the comma-separated filter could not be confirmed (${counts})`,
            }
          : onlyOpen.length !== open
            ? {
                name: "status filter",
                result: "failed",
                detail: `status=open finds ${onlyOpen.length}, the full inventory has ${open} open (${counts})`,
              }
            : {
                name: "status filter",
                result: "ok",
                detail: `one comma-separated status brings every status (${counts})`,
              },
    );
  } catch (error) {
    return failed("status filter", error);
  }
  const first = [...all].sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  if (first === undefined) {
    checks.push({ name: "business", result: "warning", detail: "the key sees no business" });
    return checks;
  }
  try {
    const live = await client.getLinks(first.id);
    const known = new Set(placeActionTypes());
    const types = Object.keys(live).map(
      (type) =>
        `${shown(type)}${known.has(type) ? "" : " (unknown to the schema, left unmanaged)"}`,
    );
    checks.push({
      name: "business",
      result: "ok",
      detail: `the links of ${shown(first.id)} read by id (${types.length === 0 ? "no links" : types.join(", ")})`,
    });
  } catch (error) {
    return failed("business", error);
  }
  if (first.code === null || first.code === "") return checks;
  try {
    await client.getLinks(codeAddress(first.code));
    checks.push({
      name: "role",
      result: "ok",
      detail: "stores can be addressed by code (c-{code})",
    });
  } catch (error) {
    if (!(error instanceof PartooHttpError) || error.status !== 403) return failed("role", error);
    checks.push({
      name: "role",
      result: "warning",
      detail:
        "the key cannot address stores by code (a PROVIDER key?): set business_id in every store file",
    });
  }
  return checks;
}
