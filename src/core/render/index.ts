export { renderPlanJson } from "./json.js";
export { renderPlanMarkdown, MARKDOWN_MAX_LENGTH, type MarkdownOptions } from "./markdown.js";
export { renderPlanText, type TextOptions } from "./text.js";
export { summaryLine } from "./describe.js";
