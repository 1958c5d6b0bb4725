/**
 * `partoo-links import`: brings existing businesses under management. Writes one store file
 * per business from its editable live links, and records them in the state as applied, so
 * that a live plan right after is empty.
 */
import path from "node:path";
import type { Command, CommandContext, OptionValues } from "../command.js";
import type { Services } from "../services.js";
import {
  apiUrlOption,
  formatOption,
  parseFormat,
  rateLimitOption,
  stateOption,
  storesOption,
  stringOption,
} from "../options.js";
import { AppError, UsageError } from "../../errors.js";
import { importExitCode, renderImportAs, type ImportReport } from "../../core/render/import.js";
import { findBusinesses, importStores } from "../../importer/run-import.js";
import type { BuiltStore } from "../../importer/build-store.js";
import { factorImport } from "../../importer/factor-import.js";
import {
  checkFactorTargets,
  checkNoOtherStoreFiles,
  recordFactored,
  removeFleetFile,
  type FactorTargets,
} from "../../importer/factor-files.js";
import { configSchemaReference, storeSchemaReference } from "../../importer/schema-reference.js";
import { FLEET_FILE } from "../../files/index.js";

export const importCommand: Command = {
  name: "import",
  summary: "write store files and state from the live links of existing businesses",
  description: `Finds the businesses (--code A,B, or --all: every status, every page), reads their
live links and writes one store file per business with its editable links (links that are
not editable, and types that only have such links, stay unmanaged). Records each store in
the state as applied, so that "plan --live" right after shows no changes.
Existing store files are kept unless --force. Businesses without a code are skipped
unless --by-id (then the id is used as the code and as business_id).

With --all --factor, the lists most stores share (the store code inside a URL becomes
{code}) are written as the defaults of the fleet file (--config, default partoo-links.yaml),
and each store file keeps only what differs (TYPE: ~ where a store has none of a default).
It replaces the fleet file and every store file of the directory: with --force only, when
there are any. The report says how many lines the fleet shrank by.

Exit codes: 0 ok, 1 error (a store could not be imported).`,
  options: {
    ...storesOption,
    ...stateOption,
    ...formatOption(),
    ...apiUrlOption,
    ...rateLimitOption,
    code: { type: "string", valueName: "CODE[,CODE…]", description: "import these store codes" },
    all: { type: "boolean", description: "import every business the key can see" },
    force: {
      type: "boolean",
      description: "overwrite existing store files (with --factor: the fleet file too)",
    },
    factor: {
      type: "boolean",
      description:
        "with --all: write the shared link patterns as fleet-file defaults, thin store files",
    },
    "by-id": {
      type: "boolean",
      description: "address the stores by business id (business_id in each file; PROVIDER keys)",
    },
  },
  run: runImport,
  wholeFleet: true,
};

async function runImport({ options, io, services }: CommandContext): Promise<number> {
  const format = parseFormat(options);
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
  const factor = options["factor"] === true;
  if (factor && !all) {
    throw new UsageError(
      "import --factor: give --all too (the fleet file's defaults reach every store file): partoo-links import --all --factor",
    );
  }
  const byId = options["by-id"] === true;
  const dir = services.storesDir;
  const force = options["force"] === true;
  const targets = factor ? factorTargets(services, options) : undefined;
  services.partoo.check("import");
  // Before any request: a corrupt state, an unusable stores directory or files that
  // --factor would replace without --force fail first.
  await services.state().read();
  // --factor writes a new fleet file; otherwise the files are written for the one there is.
  const fleet = targets === undefined ? await services.fleet() : undefined;
  if (targets !== undefined) await checkFactorTargets(targets);
  await services.makeDirectory(dir, "create the stores directory");
  const { imported, skips, notImported } = await services.partoo.use("import", async (client) => {
    const found = await findBusinesses(client, all ? undefined : codes, byId);
    const progress = services.progress({ label: "import", total: found.businesses.length });
    try {
      const result = await importStores(client, found.businesses, {
        dir,
        display: services.display,
        force,
        byId,
        now: services.now,
        schema: storeSchemaReference(dir, services.cwd),
        ...(fleet === undefined ? {} : { fleet }),
        ...(services.signal === undefined ? {} : { signal: services.signal }),
        onStore: (failed) => progress.tick(failed),
      });
      return {
        imported: result.imported,
        skips: [...found.skips, ...result.skips],
        notImported: result.notImported,
      };
    } finally {
      progress.stop();
    }
  });

  if (targets !== undefined) {
    if (services.signal?.aborted === true) {
      throw new AppError("import --factor interrupted: nothing written; run the same import again");
    }
    const report = { ...(await writeFactored(services, targets, imported)), skips };
    io.stdout.write(renderImportAs(format, report));
    return importExitCode(report);
  }
  for (const store of imported) {
    await services.writeFile(
      path.join(dir, `${store.code}.yaml`),
      store.text,
      "write the store file",
    );
  }
  if (imported.length > 0) {
    await services
      .state()
      .update(Object.fromEntries(imported.map((store) => [store.code, store.record])));
  }
  const report = { imported, skips, dir: services.display(dir) };
  io.stdout.write(renderImportAs(format, report));
  if (services.signal?.aborted === true) {
    // As apply: an interrupted run never looks complete, and says what is left.
    throw new AppError(
      `import interrupted: ${imported.length} written to ${report.dir}, ${notImported} not imported; run the same import again to import the rest (the files written are kept)`,
    );
  }
  return importExitCode(report);
}

/**
 * Writes the factored fleet: the thin store files all together, then the fleet file, then the
 * state records, each taken from the files as the loader reads them back (see factor-files.ts).
 */
function factorTargets(services: Services, options: OptionValues): FactorTargets {
  const config = stringOption(options, "config");
  const fleetFile = services.resolve(config ?? FLEET_FILE);
  return {
    storesDir: services.storesDir,
    fleetFile,
    shownFleetFile: services.display(fleetFile),
    config,
    cwd: services.cwd,
    force: options["force"] === true,
  };
}

async function writeFactored(
  services: Services,
  targets: FactorTargets,
  imported: readonly BuiltStore[],
): Promise<Omit<ImportReport, "skips">> {
  await checkNoOtherStoreFiles(targets, new Set(imported.map((store) => store.code)));
  const factored = factorImport(imported, {
    fleetFile: targets.shownFleetFile,
    schema: configSchemaReference(targets.fleetFile, services.cwd),
    date: services.now().toISOString().slice(0, 10),
  });
  await services.writeFiles(
    targets.storesDir,
    factored.stores.map((store) => ({ name: `${store.code}.yaml`, text: store.text })),
    "write the store files",
    // The old fleet file goes first: a fleet file never sits beside files it was not made for.
    { beforeRenames: () => removeFleetFile(targets) },
  );
  await services.writeFile(targets.fleetFile, factored.fleetText, "write the fleet file");
  const records = await recordFactored(targets, imported, services.now());
  if (imported.length > 0) await services.state().update(records);
  return {
    imported: factored.stores,
    dir: services.display(targets.storesDir),
    factor: { fleetFile: targets.shownFleetFile, ...factored.summary },
  };
}
