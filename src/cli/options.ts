// Option values from the command line, checked in one place: a bad value is refused with the
// option's name and what was expected (`--days: expected a positive integer`), exit code 2.
import { CliError } from './errors.ts'

/** A usage error: the command line itself is wrong (exit 2, as getopt-style tools do). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2)
  }
}

function refuse(name: string, expected: string, raw: string): never {
  throw new UsageError(`${name}: expected ${expected} (got '${raw}')`)
}

/** citty gives `true` for a flag written without a value (`--days`): that is no value either. */
type Raw = string | boolean | undefined

function text(name: string, raw: Raw, expected: string): string | undefined {
  if (raw === undefined) return undefined
  if (typeof raw !== 'string' || raw.trim() === '') refuse(name, expected, String(raw === true ? '' : raw))
  return raw.trim()
}

/** A whole number in [min, max]; `name` is how the person wrote it (`--days`, `-n`, `PRIORITY`). */
export function intOption(
  name: string,
  raw: Raw,
  opts: { min?: number; max?: number; expected?: string } = {},
): number | undefined {
  const { min = 1, max = Number.MAX_SAFE_INTEGER } = opts
  const expected =
    opts.expected ??
    (max !== Number.MAX_SAFE_INTEGER
      ? min === 1
        ? `a positive integer up to ${max}`
        : `a whole number from ${min} to ${max}`
      : min === 1
        ? 'a positive integer'
        : min === 0
          ? 'a whole number ≥ 0'
          : `a whole number ≥ ${min}`)
  const value = text(name, raw, expected)
  if (value === undefined) return undefined
  if (!/^[+-]?\d+$/.test(value)) refuse(name, expected, value)
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < min || n > max) refuse(name, expected, value)
  return n
}

/** A TCP port, 1–65535 (0, "any free port", only when `allowAny`). */
export function portOption(name: string, raw: Raw, opts: { allowAny?: boolean } = {}): number | undefined {
  const min = opts.allowAny ? 0 : 1
  return intOption(name, raw, { min, max: 65535, expected: `a port number from ${min} to 65535` })
}

/** One of a fixed set of words. */
export function enumOption<const T extends string>(name: string, raw: Raw, values: readonly T[]): T | undefined {
  const expected = `one of ${values.join(', ')}`
  const value = text(name, raw, expected)
  if (value === undefined) return undefined
  if (!(values as readonly string[]).includes(value)) refuse(name, expected, value)
  return value as T
}
