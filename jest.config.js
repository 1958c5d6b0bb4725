import { availableParallelism } from "node:os";

/** @type {import('jest').Config} */
export default {
  preset: "ts-jest/presets/default-esm",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  // Transpile only (tsconfig's isolatedModules): `npm run typecheck` checks the types.
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true, diagnostics: false }] },
  // Most test files mostly wait (on servers, child processes, retries), so one worker more
  // than the cores keeps them busy; jest's default (cores - 1) runs 2-core CI in band.
  maxWorkers: availableParallelism() + 1,
  testTimeout: 30000,
};
