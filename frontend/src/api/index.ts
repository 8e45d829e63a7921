import { AppError, normalizeError } from './errors'
import { operations, type OperationName, type OperationTypes } from './generated'
import { currentTransport, type Input } from './transport'

export { AppError, normalizeError } from './errors'
export * from './generated'

export type InputOf<N extends OperationName> = OperationTypes[N][0]
export type OutputOf<N extends OperationName> = OperationTypes[N][1]

type UnauthorizedHandler = (op: OperationName) => void
let onUnauthorized: UnauthorizedHandler | null = null

/** Called when any call but login answers 401 `unauthorized` (session ended). */
export function setUnauthorizedHandler(fn: UnauthorizedHandler | null): void {
  onUnauthorized = fn
}

let onMustChangePassword: (() => void) | null = null

/** Called when the server refuses a call until the account replaces its temporary password. */
export function setMustChangePasswordHandler(fn: (() => void) | null): void {
  onMustChangePassword = fn
}

// Operations whose 401 is an expected answer, not an expired session.
const NO_REDIRECT: ReadonlySet<OperationName> = new Set(['login', 'login2fa', 'me', 'health', 'setup', 'changePassword'])

let onMustEnrol: (() => void) | null = null

/** Called when the server refuses a call until the account sets up the second factor System Settings require. */
export function setMustEnrolHandler(fn: (() => void) | null): void {
  onMustEnrol = fn
}

export async function call<N extends OperationName>(
  name: N,
  ...args: {} extends InputOf<N> ? [input?: InputOf<N>] : [input: InputOf<N>]
): Promise<OutputOf<N>> {
  const input = (args[0] ?? {}) as Input
  try {
    return (await currentTransport().call(operations[name], input)) as OutputOf<N>
  } catch (err) {
    const e = normalizeError(err)
    if (e.code === 'unauthorized' && !NO_REDIRECT.has(name)) onUnauthorized?.(name)
    if (e.code === 'forbidden' && e.fields.password === 'must_change') onMustChangePassword?.()
    if (e.code === 'forbidden' && e.fields.two_factor === 'must_enrol') onMustEnrol?.()
    throw e
  }
}

export function transportKind(): 'wails' | 'http' {
  return currentTransport().kind
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError
