// Bad input to a drift computation: a one-line message that names the column, test or
// value at fault. Callers (the CLI) print it and exit 2.

export class DriftInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DriftInputError";
  }
}
