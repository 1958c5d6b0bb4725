/**
 * The plan as terminal text, Terraform-like: `+` create, `~` update, `-` delete. Every value
 * from outside (codes, addresses, types, URLs, messages) goes through `v`, the text escaper.
 */
import type { Plan, PlanChange, StorePlan } from "../plan.js";
import {
  describeOrigin,
  describeReason,
  driftedHint,
  NO_LINK_CHANGES,
  NOT_EDITABLE_NOTE,
  OFFLINE_NOTE,
  preferredWord,
  REMOVED_NOTE,
  summaryLine,
} from "./describe.js";
import { escapeTextValue as v, guardCommands } from "./escape.js";

export interface TextOptions {
  /** ANSI colours; the command decides (a terminal, and no NO_COLOR). */
  readonly color?: boolean;
  /** The word that starts the summary line (default "Plan"; drift says "Drift"). */
  readonly label?: string;
}

type Paint = (text: string) => string;

interface Palette {
  readonly create: Paint;
  readonly update: Paint;
  readonly delete: Paint;
  readonly warn: Paint;
  readonly dim: Paint;
  readonly bold: Paint;
}

function palette(color: boolean): Palette {
  const wrap =
    (open: number, close: number): Paint =>
    (text) =>
      color ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    create: wrap(32, 39),
    update: wrap(33, 39),
    delete: wrap(31, 39),
    warn: wrap(35, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

export function renderPlanText(plan: Plan, options: TextOptions = {}): string {
  const paint = palette(options.color === true);
  const lines: string[] = [];
  if (plan.mode === "offline") lines.push(paint.dim(OFFLINE_NOTE), "");
  for (const store of plan.stores) {
    lines.push(...storeLines(store, plan.mode === "live", paint), "");
  }
  const removed = plan.removedStores.filter((store) => !store.pruned);
  if (removed.length > 0) {
    lines.push(`Store files deleted: ${REMOVED_NOTE}.`);
    for (const store of removed) {
      const types =
        store.managedTypes.length > 0 ? store.managedTypes.map(v).join(", ") : "no types";
      lines.push(`  ${paint.delete("-")} ${v(store.code)} (${v(store.address)}): managed ${types}`);
    }
    lines.push("");
  }
  if (plan.failedStores.length > 0) {
    lines.push("Could not read the live links of:");
    for (const failure of plan.failedStores) {
      lines.push(
        `  ${paint.warn("!")} ${v(failure.code)} (${v(failure.address)}): ${v(failure.message)}`,
      );
    }
    lines.push("");
  }
  if (plan.warnings.length > 0) {
    lines.push("Warnings:");
    for (const warning of plan.warnings) {
      lines.push(`  ${paint.warn("!")} ${v(warning.code)}: ${v(warning.message)}`);
    }
    lines.push("");
  }
  if (plan.driftedStores !== undefined && plan.driftedStores.length > 0) {
    lines.push(`${paint.warn("!")} ${v(driftedHint(plan.driftedStores))}`, "");
  }
  lines.push(paint.bold(summaryLine(plan, options.label)));
  for (const warning of plan.capWarnings ?? []) lines.push(paint.warn(`! ${v(warning)}`));
  // Values are escaped already; this keeps any line from ever being a workflow command.
  return guardCommands(`${lines.join("\n")}\n`);
}

function storeLines(store: StorePlan, live: boolean, paint: Palette): string[] {
  const sign = store.reason === "pruned" ? paint.delete("-") : paint.update("~");
  const lines = [
    `${sign} ${paint.bold(v(store.code))} (${v(store.address)}): ${describeReason(store.reason)}`,
  ];
  if (store.changes.length === 0) lines.push(`    ${paint.dim(NO_LINK_CHANGES)}`);
  let type: string | undefined;
  for (const change of store.changes) {
    if (change.type !== type) {
      type = change.type;
      const cleared = store.clearedTypes?.includes(type) === true;
      lines.push(`    ${v(type)}${cleared ? paint.dim(" (gone from the file: cleared)") : ""}`);
    }
    lines.push(`      ${changeLine(change, live, paint)}`);
  }
  if (store.unmanagedTypes !== undefined && store.unmanagedTypes.length > 0) {
    lines.push(
      `    ${paint.dim(`unmanaged, left as they are: ${store.unmanagedTypes.map(v).join(", ")}`)}`,
    );
  }
  if (store.notEditable !== undefined && store.notEditable.length > 0) {
    const links = store.notEditable.map(
      (link) => `${v(link.type)} ${v(link.url)}${link.preferred ? " (preferred)" : ""}`,
    );
    lines.push(`    ${paint.dim(`${NOT_EDITABLE_NOTE}: ${links.join(", ")}`)}`);
  }
  for (const warning of store.warnings) lines.push(`    ${paint.warn("!")} ${v(warning)}`);
  return lines;
}

function changeLine(change: PlanChange, live: boolean, paint: Palette): string {
  const notes: string[] = [];
  if (change.op === "create" && change.preferred) notes.push("preferred");
  if (live && change.id !== undefined) notes.push(`id ${change.id}`);
  if (change.duplicate === true) notes.push("extra copy");
  if (change.origin !== undefined) notes.push(describeOrigin(change.origin));
  if (change.source !== undefined) notes.push(`from ${v(change.source)}`);
  const suffix = notes.length > 0 ? ` (${notes.join(", ")})` : "";
  switch (change.op) {
    case "create":
      return `${paint.create("+")} ${v(change.url)}${suffix}`;
    case "update": {
      const was = change.wasPreferred === true;
      // A changed URL: the link is updated in place, from its old URL to the new one.
      const url =
        change.fromUrl === undefined ? v(change.url) : `${v(change.fromUrl)} → ${v(change.url)}`;
      const flag =
        change.fromUrl !== undefined && was === change.preferred
          ? change.preferred
            ? " (preferred)"
            : ""
          : `: ${preferredWord(was)} → ${preferredWord(change.preferred)}`;
      return `${paint.update("~")} ${url}${flag}${paint.dim(suffix)}`;
    }
    case "delete":
      return `${paint.delete("-")} ${v(change.url)}${paint.dim(suffix)}`;
  }
}
