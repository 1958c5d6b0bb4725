/** The client's defaults that the command line shows: light to import (no undici). */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 300;
export const DEFAULT_CONCURRENCY = 4;
