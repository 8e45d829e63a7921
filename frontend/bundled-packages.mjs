// A Vite (rolldown) plugin that records which npm packages have code in the
// production bundle, for the third-party notices (`make notices`,
// backend/notices/gen). It reads what the bundler itself reports: every
// module of every output chunk that kept code after tree-shaking
// (renderedLength > 0), mapped to the package that contains it. Helpers the
// build tools inject as virtual modules (rolldown's runtime, Vite's preload
// helper, @vitejs/plugin-vue's export helper) are counted for the package
// they come from. Written to node_modules/.castdesk/bundled-packages.json
// (outside dist/, which the Go binary embeds).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const MANIFEST = join(here, 'node_modules', '.castdesk', 'bundled-packages.json')

// Virtual modules: id prefix -> the package whose code they are.
const VIRTUAL = [
  [/^\0?rolldown[:/]/, 'rolldown'],
  [/^\0?vite[:/]/, 'vite'],
  [/^\0?plugin-vue:/, '@vitejs/plugin-vue'],
]

function packageOf(id) {
  const clean = id.split('?')[0]
  for (const [re, name] of VIRTUAL) if (re.test(clean)) return { name, dir: join(here, 'node_modules', name) }
  const marker = `${sep}node_modules${sep}`
  const at = clean.lastIndexOf(marker)
  if (at < 0) return null // our own source
  const rest = clean.slice(at + marker.length).split(sep)
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  return { name, dir: clean.slice(0, at + marker.length) + name }
}

export default function bundledPackages() {
  return {
    name: 'castdesk-bundled-packages',
    apply: 'build',
    generateBundle(_options, bundle) {
      const found = new Map()
      const unknown = []
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue
        for (const [id, info] of Object.entries(chunk.modules ?? {})) {
          if (!info || !info.renderedLength) continue
          const pkg = packageOf(id)
          if (!pkg) {
            if (id.startsWith('\0')) unknown.push(id)
            continue
          }
          const entry = found.get(pkg.name) ?? { name: pkg.name, dir: pkg.dir, modules: 0, bytes: 0 }
          entry.modules += 1
          entry.bytes += info.renderedLength
          found.set(pkg.name, entry)
        }
      }
      if (unknown.length) this.error(`bundled-packages: virtual modules of unknown origin: ${unknown.join(', ')}`)
      const packages = [...found.values()]
        .map(({ name, dir, modules, bytes }) => {
          const pj = join(dir, 'package.json')
          if (!existsSync(pj)) this.error(`bundled-packages: no package.json for ${name} at ${pj}`)
          const meta = JSON.parse(readFileSync(pj, 'utf8'))
          return { name, version: meta.version, license: meta.license ?? '', dir: resolve(dir), modules, bytes }
        })
        .sort((a, b) => a.name.localeCompare(b.name))
      mkdirSync(dirname(MANIFEST), { recursive: true })
      writeFileSync(MANIFEST, JSON.stringify({ packages }, null, 2) + '\n')
    },
  }
}
