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
  // Most test files mostly wait (on servers, child processes, retries): one worker a core.
  // jest's default (cores - 1) runs 2-core CI in band. One more worker was faster still,
  // but then timed tests (e.g. "handles 10,000 stores quickly") share a core with others.
  maxWorkers: availableParallelism(),
  testTimeout: 30000,
};
