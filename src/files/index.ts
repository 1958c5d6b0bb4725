/** Reading and validating store files: the desired state. */
export {
  loadStores,
  type LoadedStore,
  type LoadOptions,
  type LoadResult,
  type StoreFile,
} from "./load-stores.js";
export { compareIssues, formatIssue, hasErrors, type StoreIssue } from "./issues.js";
export { placeActionTypes } from "./store-schema.js";
export { MAX_FILE_BYTES, MAX_URL_LENGTH } from "./limits.js";
export {
  findRepository,
  readRegularFileInside,
  repositoryAt,
  type ReadInside,
  type Repository,
} from "./repository.js";
export { storesRepository } from "./load-stores.js";
export { storeFileHash } from "./load-entry.js";
export { loadFleet, type FleetLoad, type LoadedFleet } from "./load-fleet.js";
export { FLEET_FILE } from "./load-fleet.js";
