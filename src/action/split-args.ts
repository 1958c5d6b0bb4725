/**
 * The `args` input of the Action, split into words the way a POSIX shell splits a command
 * line (quotes, backslashes), without running a shell: no variable, command or glob
 * expansion ever happens, so `$HOME`, `$(…)` and `*` stay literal text.
 */

export class ArgsSyntaxError extends Error {}

/**
 * Words of `text`: blanks (space, tab, newline) separate words; '…' keeps everything
 * literally; "…" keeps everything but lets a backslash escape \ " $ ` and a newline;
 * outside quotes a backslash keeps the next character literally and a backslash-newline
 * joins lines. `""` and `''` are empty words, as in a shell.
 */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  let word = "";
  // A word exists once any character or quote of it is seen: `''` is one empty word.
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === " " || char === "\t" || char === "\n" || char === "\r") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (char === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw new ArgsSyntaxError(unterminated("'", i));
      word += text.slice(i + 1, end);
      i = end + 1;
    } else if (char === '"') {
      i = readDoubleQuoted(text, i + 1, (part) => (word += part));
    } else if (char === "\\") {
      const next = text[i + 1];
      if (next === undefined)
        throw new ArgsSyntaxError(
          "args: a backslash ends the text; escape it as \\\\ or remove it",
        );
      if (next === "\n") {
        // A line continuation: nothing of it stays, and it does not end the word.
        inWord = word.length > 0;
      } else {
        word += next;
      }
      i += 2;
    } else {
      word += char;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Reads from just after an opening `"`; returns the index after the closing one. */
function readDoubleQuoted(text: string, start: number, append: (part: string) => void): number {
  let i = start;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') return i + 1;
    if (char === "\\") {
      const next = text[i + 1];
      if (next === "\\" || next === '"' || next === "$" || next === "`") {
        append(next);
        i += 2;
        continue;
      }
      if (next === "\n") {
        i += 2;
        continue;
      }
    }
    append(char);
    i++;
  }
  throw new ArgsSyntaxError(unterminated('"', start - 1));
}

function unterminated(quote: string, at: number): string {
  return `args: the ${quote} at character ${at + 1} is never closed; close it or escape it with a backslash`;
}
