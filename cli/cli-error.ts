// A failure caused by the user's input (files, columns, options). The CLI prints its
// message as one line on stderr and exits with status 2.
export class CliError extends Error {
  override name = "CliError";
}

export const BAD_INPUT_EXIT = 2;
