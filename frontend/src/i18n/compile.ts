// The message compiler of the interface texts, in place of vue-i18n's own
// (dropped from the bundle: __INTLIFY_DROP_MESSAGE_COMPILER__ in
// vite.config.ts). Ours knows the only syntax the texts use:
//   {name}           a named value, {0} a listed one, {'x'} a literal x;
//   a | b | c        plural forms (zero | one | many, see pluralRules in
//                    ./index.ts), each trimmed as vue-i18n trims them.
// A few hundred bytes instead of ~20 KB of tokenizer, parser and code
// generator that the window parsed and ran before its first screen.
import type { MessageCompiler, MessageContext } from 'vue-i18n'

type Part = string | { named: string } | { list: number }

const PLACEHOLDER = /\{\s*(?:([A-Za-z_$][\w$]*)|(\d+)|'([^']*)')\s*\}/g

function parse(source: string): Part[] {
  const parts: Part[] = []
  let last = 0
  for (const m of source.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(source.slice(last, m.index))
    if (m[1] !== undefined) parts.push({ named: m[1] })
    else if (m[2] !== undefined) parts.push({ list: Number(m[2]) })
    else parts.push(m[3] ?? '')
    last = m.index + m[0].length
  }
  if (last < source.length) parts.push(source.slice(last))
  return parts
}

// What vue-i18n's runtime gives every message function besides the public
// MessageContext: its display conversion of values and its joining of parts.
type Runtime = MessageContext & {
  interpolate: (value: unknown) => unknown
  normalize: (values: unknown[]) => unknown
}

type MessageFn = ReturnType<MessageCompiler>
const cache = new Map<string, MessageFn>()

/** Compiles one interface text into the function vue-i18n calls to render it. */
export const compileMessage: MessageCompiler = (message) => {
  if (typeof message !== 'string') throw new TypeError('only plain-text messages are supported')
  const hit = cache.get(message)
  if (hit) return hit
  const cases = message.includes('|') ? message.split('|').map((c) => parse(c.trim())) : [parse(message)]
  const fn = ((ctx: Runtime) => {
    const render = (parts: Part[]) =>
      ctx.normalize(parts.map((p) => (typeof p === 'string' ? p : ctx.interpolate('named' in p ? ctx.named(p.named) : ctx.list(p.list)))))
    return cases.length === 1 ? render(cases[0]) : ctx.plural(cases.map(render) as string[])
  }) as unknown as MessageFn
  cache.set(message, fn)
  return fn
}
