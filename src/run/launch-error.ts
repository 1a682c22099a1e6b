// The one error type of launching a program: its message is for the user (what is wrong and what
// to do). No vscode here, so the CLI reports the same messages.

/** A failure meant for the user: names what is wrong and what to do. */
export class LaunchError extends Error {
  override name = 'LaunchError';
  constructor(
    message: string,
    /** The last lines of output, when a build failed. */
    readonly lastLines: string[] = [],
  ) {
    super(message);
  }
}
