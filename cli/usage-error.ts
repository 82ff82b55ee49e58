// A mistake on the command line: the CLI prints its message as one line and exits with
// status 2 instead of a stack trace (cli.ts). Its own module so that every command's argument
// parser (args.ts, import/args.ts) can throw it without importing the other.
export class UsageError extends Error {
  override name = "UsageError";
}
