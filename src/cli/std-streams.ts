/**
 * stdout and stderr for the CLI, written with fs.writeSync on their file descriptors: what
 * Node's own streams do for files, pipes and terminals on Linux (synchronous writes, in
 * order), without creating process.stdout, whose stream loads node:net and every stream
 * module: about 6 ms of a 50 ms start of `validate`, for one line of output.
 *
 * A descriptor that would block (a non-blocking pipe shared with another process: EAGAIN)
 * gets the Node stream for the rest of the run, which waits for the reader. A reader gone
 * (EPIPE, `partoo-links plan | head`; ECONNRESET when stdout is a socket, as Node gives its
 * child processes) ends the output, quietly, as in other command-line tools. On Windows the
 * Node streams are used.
 */
import { fstatSync, writeSync } from "node:fs";

export interface StdWriter {
  write(chunk: string): boolean;
}

type StdFd = 1 | 2;

/** Characters of a chunk turned into bytes and written at once. */
const PIECE_CHARS = 1 << 16;

function nodeStream(fd: StdFd): NodeJS.WriteStream {
  return fd === 1 ? process.stdout : process.stderr;
}

/** A writer for fd 1 or 2 (see the module comment). */
export function stdWriter(fd: StdFd): StdWriter {
  if (process.platform === "win32") return nodeStream(fd);
  let stream: NodeJS.WriteStream | undefined;
  let closed = false;
  return {
    write(chunk) {
      // A piece at a time: a large report is not copied whole into a second buffer.
      for (let start = 0; start < chunk.length; start += PIECE_CHARS) {
        if (closed) return false;
        const piece = chunk.slice(start, start + PIECE_CHARS);
        if (stream !== undefined) {
          stream.write(piece);
          continue;
        }
        const bytes = Buffer.from(piece, "utf8");
        for (let offset = 0; offset < bytes.length;) {
          try {
            offset += writeSync(fd, bytes, offset);
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === "EAGAIN") {
              stream = nodeStream(fd);
              stream.write(bytes.subarray(offset));
              break;
            }
            // A pipe's reader gone: EPIPE; a socket's (Node's own child stdio): ECONNRESET.
            if (code === "EPIPE" || code === "ECONNRESET") {
              closed = true;
              return false;
            }
            throw error;
          }
        }
      }
      return !closed;
    },
  };
}

/**
 * Whether fd 1 or 2 is a terminal. A pipe or a file is not, which fstat tells without
 * node:tty (which loads node:net); only a character device (a terminal, or /dev/null) asks
 * the Node stream.
 */
export function isTerminal(fd: StdFd): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return nodeStream(fd).isTTY === true;
}
