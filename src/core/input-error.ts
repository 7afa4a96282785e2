// The error for unreadable or malformed user input: the CLI maps it to exit code 2 and one line on stderr.

/** An input could not be read or parsed. `message` is one line naming the input and the position. */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    /** The input as the user named it (a path, `-`, `--context`...). */
    readonly input: string,
    /** What is wrong, without the input's name. */
    readonly detail: string,
    /** `line 3, column 7`, `byte 1024`... */
    readonly position?: string,
  ) {
    super(`${input}${position ? ` (${position})` : ""}: ${detail}`);
  }
}
