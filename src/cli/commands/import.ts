/**
 * `partoo-links import`: brings existing businesses under management. Writes one store file
 * per business from its editable live links, and records them in the state as applied, so
 * that a live plan right after is empty.
 */
import { createHash } from "node:crypto";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CliIO, Command, CommandContext } from "../command.js";
import {
  apiKey,
  apiUrl,
  apiUrlOption,
  formatOption,
  parseFormat,
  parseRateLimit,
  rateLimitOption,
  stateOption,
  storesDir,
  storesOption,
  stringOption,
} from "../options.js";
import { startProgress } from "../progress.js";
import { AppError, UsageError } from "../../errors.js";
import type { StoreRecord } from "../../core/model.js";
import { recordAfterApply } from "../../core/record.js";
import { compareCodes } from "../../core/select.js";
import { formatIssue, parseStoreText } from "../../files/index.js";
import { annotation } from "../../core/render/annotations.js";
import { escapeText } from "../../core/render/markdown.js";
import { plural } from "../../core/render/describe.js";
import { openStateBackend } from "../../state/open.js";
import {
  createPartooClient,
  PartooStoppedError,
  type Business,
  type PartooApi,
} from "../../partoo/client.js";
import { desiredFromLive, renderStoreYaml } from "../../importer/store-yaml.js";
import {
  businessIdProblem,
  liveUrlProblem,
  plainName,
  quoted,
  storeCodeProblem,
} from "../../importer/partoo-values.js";

/** A code or id from Partoo as it names a line of the report: quoted when it is not plain. */
const quotedWhat = (what: string) => (/^[\x20-\x7e]+$/.test(what) ? what : quoted(what));

const FORMATS = ["text", "json", "markdown", "github"] as const;

export const importCommand: Command = {
  name: "import",
  summary: "write store files and state from the live links of existing businesses",
  description: `Finds the businesses (--code A,B, or --all: every status, every page), reads their
live links and writes one store file per business with its editable links (links that are
not editable, and types that only have such links, stay unmanaged). Records each store in
the state as applied, so that "plan --live" right after shows no changes.
Existing store files are kept unless --force. Businesses without a code are skipped
unless --by-id (then the id is used as the code and as business_id).

Exit codes: 0 ok, 1 error (a store could not be imported).`,
  options: {
    ...storesOption,
    ...stateOption,
    ...formatOption(FORMATS),
    ...apiUrlOption,
    ...rateLimitOption,
    code: { type: "string", valueName: "CODE[,CODE…]", description: "import these store codes" },
    all: { type: "boolean", description: "import every business the key can see" },
    force: { type: "boolean", description: "overwrite existing store files" },
    "by-id": {
      type: "boolean",
      description: "address the stores by business id (business_id in each file; PROVIDER keys)",
    },
  },
  run: runImport,
};

interface Skip {
  readonly what: string;
  readonly reason: string;
  /** An error (exit 1), or a notice. */
  readonly error: boolean;
}

interface Imported {
  readonly code: string;
  readonly file: string;
  readonly text: string;
  readonly record: StoreRecord;
  readonly links: number;
}

async function runImport({ options, io }: CommandContext): Promise<number> {
  const format = parseFormat(options, FORMATS);
  const codes = stringOption(options, "code")
    ?.split(",")
    .map((code) => code.trim())
    .filter((code) => code !== "");
  const all = options["all"] === true;
  if ((codes === undefined || codes.length === 0) === !all) {
    throw new UsageError(
      "import: give either --code CODE[,CODE…] or --all, e.g. partoo-links import --code paris-01",
    );
  }
  const force = options["force"] === true;
  const byId = options["by-id"] === true;
  const dir = storesDir(options, io.cwd);
  const client = createPartooClient({
    apiKey: apiKey(io.env, "import"),
    baseUrl: apiUrl(options, io.env),
    rateLimitPerMinute: parseRateLimit(options),
    logger: (line) => io.stderr.write(`${line}\n`),
  });
  const backend = openStateBackend(stringOption(options, "state"), io.cwd, io.env);
  await backend.read(); // a corrupt state is an error before anything is written
  const skips: Skip[] = [];
  const imported: Imported[] = [];
  try {
    const businesses = all
      ? await findAll(client, byId, skips)
      : await findCodes(client, codes!, byId, skips);
    const progress = startProgress({
      stream: io.stderr,
      isTTY: io.stderrIsTTY,
      label: "import",
      total: businesses.length,
    });
    try {
      for (const business of businesses) {
        const result = await importOne(client, business, { dir, io, force, byId });
        if ("reason" in result) skips.push(result);
        else imported.push(result);
        progress.tick("reason" in result);
        if (io.signal?.aborted) break;
      }
    } finally {
      progress.stop();
    }
  } finally {
    await client.close();
  }

  await mkdir(dir, { recursive: true });
  for (const store of imported)
    await writeAtomically(path.join(dir, `${store.code}.yaml`), store.text);
  if (imported.length > 0) {
    await backend.update(Object.fromEntries(imported.map((store) => [store.code, store.record])));
  }
  const report = { imported, skips, dir: path.relative(io.cwd, dir) || "." };
  io.stdout.write(renderers[format](report));
  return skips.some((skip) => skip.error) ? 1 : 0;
}

interface ImportReport {
  readonly imported: readonly Imported[];
  readonly skips: readonly Skip[];
  /** The stores directory, relative to the cwd. */
  readonly dir: string;
}

function importSummary({ imported, skips, dir }: ImportReport): string {
  const errors = skips.filter((skip) => skip.error).length;
  return `Import: ${plural(imported.length, "store")} written to ${dir}, ${skips.length - errors} skipped, ${plural(errors, "error")}`;
}

const renderers: Record<(typeof FORMATS)[number], (report: ImportReport) => string> = {
  text: (report) =>
    [
      ...report.imported.map((store) => `+ ${store.file}: ${plural(store.links, "link")}\n`),
      ...report.skips.map((skip) => `${skip.error ? "✗" : "-"} ${skip.what}: ${skip.reason}\n`),
      `${importSummary(report)}\n`,
    ].join(""),
  json: ({ imported, skips }) =>
    `${JSON.stringify(
      {
        imported: imported.map(({ code, file, links }) => ({ code, file, links })),
        skipped: skips.map(({ what, reason, error }) => ({ what, reason, error })),
      },
      null,
      2,
    )}\n`,
  markdown: (report) =>
    [
      "### partoo-links import\n\n",
      `**${escapeText(importSummary(report))}**\n`,
      ...(report.imported.length + report.skips.length === 0
        ? []
        : [
            "\n| store | result |\n|---|---|\n",
            ...report.imported.map(
              (store) =>
                `| \`${store.code}\` | ➕ ${escapeText(`${store.file}: ${plural(store.links, "link")}`)} |\n`,
            ),
            ...report.skips.map(
              (skip) =>
                `| ${escapeText(skip.what)} | ${skip.error ? "❌" : "⏭️"} ${escapeText(skip.reason)} |\n`,
            ),
          ]),
    ].join(""),
  github: (report) =>
    renderers.text(report) +
    report.skips
      .filter((skip) => skip.error)
      .map((skip) =>
        annotation("error", `${skip.what}: ${skip.reason}`, { title: "partoo-links import" }),
      )
      .join(""),
};

/** Every business; codes shared by several businesses cannot be told apart by file name. */
async function findAll(client: PartooApi, byId: boolean, skips: Skip[]): Promise<Business[]> {
  const businesses = await client.searchBusinesses();
  if (byId) return businesses.sort((a, b) => compareCodes(a.id, b.id));
  const byCode = new Map<string, Business[]>();
  for (const business of businesses) {
    if (business.code === null || business.code === "") {
      skips.push({
        what: quotedWhat(`business ${business.id} (${plainName(business.name)})`),
        reason: "has no store code; import it with --by-id, or give it a code in Partoo",
        error: false,
      });
      continue;
    }
    byCode.set(business.code, [...(byCode.get(business.code) ?? []), business]);
  }
  const unique: Business[] = [];
  for (const [code, matches] of byCode) {
    if (matches.length === 1) unique.push(matches[0]!);
    else skips.push(ambiguous(code, matches));
  }
  return unique.sort((a, b) => compareCodes(a.code!, b.code!));
}

/** The business of each code: exactly one must match (codes are not unique in Partoo). */
async function findCodes(
  client: PartooApi,
  codes: readonly string[],
  byId: boolean,
  skips: Skip[],
): Promise<Business[]> {
  const found: Business[] = [];
  for (const code of [...new Set(codes)]) {
    const matches = (await client.searchBusinesses({ code })).filter((b) => b.code === code);
    if (matches.length === 0) {
      skips.push({ what: code, reason: "no business has this code (any status)", error: true });
    } else if (matches.length > 1 && !byId) {
      skips.push(ambiguous(code, matches));
    } else {
      found.push(...matches);
    }
  }
  return found;
}

function ambiguous(code: string, matches: readonly Business[]): Skip {
  return {
    what: code,
    reason: `${matches.length} businesses have this code (${matches.map((b) => quotedWhat(b.id)).join(", ")}); import them with --by-id, or make the codes unique in Partoo`,
    error: true,
  };
}

async function importOne(
  client: PartooApi,
  business: Business,
  context: { dir: string; io: CliIO; force: boolean; byId: boolean },
): Promise<Imported | Skip> {
  const code = context.byId ? business.id : business.code!;
  const what = context.byId ? `business ${business.id}` : code;
  const invalid = businessIdProblem(business.id) ?? storeCodeProblem(code);
  if (invalid !== undefined) return { what: quotedWhat(what), reason: invalid, error: true };
  const filePath = path.join(context.dir, `${code}.yaml`);
  const file = path.relative(context.io.cwd, filePath);
  if (!context.force && (await exists(filePath))) {
    return {
      what,
      reason: `${file} already exists; kept (use --force to overwrite)`,
      error: false,
    };
  }
  const businessId = context.byId ? business.id : undefined;
  const address = businessId ?? `c-${code}`;
  let live;
  try {
    live = await client.getLinks(address);
  } catch (error) {
    if (error instanceof PartooStoppedError) throw error;
    if (!(error instanceof AppError)) throw error;
    return { what, reason: error.message, error: true };
  }
  const badUrl = liveUrlProblem(live);
  if (badUrl !== undefined) return { what, reason: badUrl, error: true };
  const text = renderStoreYaml(desiredFromLive(code, businessId, live), {
    businessId: business.id,
    name: business.name,
    date: new Date().toISOString().slice(0, 10),
    live,
  });
  // What we write must load back as the same store, or the state would not match the file.
  const parsed = parseStoreText(text, file, code);
  const firstError = parsed.issues.find((issue) => issue.severity === "error");
  if (parsed.store === undefined || firstError !== undefined) {
    return {
      what,
      reason: `its live links do not make a valid store file (${firstError ? formatIssue(firstError) : "invalid"}); fix the link in Partoo first`,
      error: true,
    };
  }
  let record: StoreRecord;
  try {
    record = recordAfterApply({
      desired: parsed.store,
      live,
      fileHash: createHash("sha256").update(text).digest("hex"),
      now: new Date(),
    });
  } catch {
    // e.g. the same URL twice in a type: the file keeps it once, so live does not match it.
    return {
      what,
      reason:
        "its live links cannot be written as a file that matches them exactly (a URL repeated in a type?); clean it up in Partoo, or import it and run apply",
      error: true,
    };
  }
  const links = Object.values(parsed.store.links).reduce((sum, list) => sum + list.length, 0);
  return { code, file, text, record, links };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}
