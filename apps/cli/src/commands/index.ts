// Every subcommand, in help order. Add one import and one entry per command file.
import type { Command } from "../command.js";
import { CY_COMMANDS } from "./cy.js";
import { dualCommand } from "./dual.js";
import { DUALITY_COMMANDS } from "./duality.js";
import { DUALREP_COMMANDS } from "./dualrep.js";
import { exactCommands } from "./exact.js";
import { INTEGRABILITY_COMMANDS } from "./integrability.js";
import { INVERSE_COMMANDS } from "./inverse.js";
import { LINES_COMMANDS } from "./lines.js";
import { mcmcCommand } from "./mcmc.js";
import { runsCommands } from "./runs.js";
import { SWEEP_COMMANDS } from "./sweep.js";
import { SYMMETRY_COMMANDS } from "./symmetry.js";
import { viewCommand } from "./view.js";

export const COMMANDS: Command[] = [
  ...exactCommands,
  dualCommand,
  mcmcCommand,
  ...DUALITY_COMMANDS,
  ...runsCommands,
  ...SWEEP_COMMANDS,
  viewCommand,
  ...SYMMETRY_COMMANDS,
  ...INTEGRABILITY_COMMANDS,
  ...CY_COMMANDS,
  ...INVERSE_COMMANDS,
  ...DUALREP_COMMANDS,
  ...LINES_COMMANDS,
];
