// A failure the CLI explains in one line (no stack unless --verbose) and exits non-zero for.

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

/** Runs a command body; prints CliError and unexpected errors the same short way. */
export async function guard(verbose: boolean, body: () => Promise<void> | void): Promise<void> {
  try {
    await body()
  } catch (err) {
    const e = err as Error
    process.stderr.write(`tend: ${e.message}\n`)
    if (verbose && !(err instanceof CliError)) process.stderr.write(`${e.stack}\n`)
    process.exitCode = err instanceof CliError ? err.exitCode : 1
  }
}
