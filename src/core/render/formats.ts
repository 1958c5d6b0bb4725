/** The output formats of --format (SPEC §5): every command renders one report in each. */
export const OUTPUT_FORMATS = ["text", "json", "markdown", "github"] as const;

export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
