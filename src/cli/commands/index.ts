import type { Command } from "../command.js";
import { acceptCommand } from "./accept.js";
import { applyCommand } from "./apply.js";
import { demoCommand } from "./demo.js";
import { doctorCommand } from "./doctor.js";
import { driftCommand } from "./drift.js";
import { emulatorCommand } from "./emulator.js";
import { importCommand } from "./import.js";
import { initCommand } from "./init.js";
import { planCommand } from "./plan.js";
import { validateCommand } from "./validate.js";

/** Every command, in the order the help lists them. */
export const commands: readonly Command[] = [
  validateCommand,
  planCommand,
  applyCommand,
  driftCommand,
  importCommand,
  acceptCommand,
  initCommand,
  emulatorCommand,
  doctorCommand,
  demoCommand,
];
