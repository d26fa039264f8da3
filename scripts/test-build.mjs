#!/usr/bin/env node
// The test build: src/ and test/ transpiled once into .cache/test-build/ (same tree, .js files), so each
// test process starts on plain JavaScript instead of compiling TypeScript through a loader (tsx costs
// ~0.5 s of CPU per process, and npm test starts ~100). Types are checked by tsc, not here: this is a
// transpile of each file alone (verbatimModuleSyntax makes that exact), with inline source maps so a
// failure points at the .ts line. Only files newer than their output are redone.
// Usage: node scripts/test-build.mjs   (npm test runs it; prints the tree's path)
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const TEST_BUILD = join(ROOT, '.cache', 'test-build')
const TREES = ['src', 'test']

/** The compiled path of a source file: test/unit/x.test.ts → .cache/test-build/test/unit/x.test.js */
export const compiledPath = (source) => join(TEST_BUILD, relative(ROOT, source)).replace(/\.ts$/, '.js')

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    return e.isDirectory() ? sources(path) : e.name.endsWith('.ts') ? [path] : []
  })
}

function compilerOptions() {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile)
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'))
  const { options } = ts.convertCompilerOptionsFromJson(config.config.compilerOptions, ROOT)
  // package.json says "type": "module": every file is ESM, which NodeNext would infer from it.
  return {
    ...options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: false,
    inlineSourceMap: true,
    sourceMap: false,
  }
}

export function buildTests() {
  const options = compilerOptions()
  let compiled = 0
  for (const source of TREES.flatMap((t) => sources(join(ROOT, t)))) {
    const out = compiledPath(source)
    if (existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) continue
    const { outputText, diagnostics } = ts.transpileModule(readFileSync(source, 'utf8'), {
      compilerOptions: { ...options, sourceRoot: dirname(source) }, // a stack trace names the .ts file
      fileName: basename(source),
      reportDiagnostics: true,
    })
    if (diagnostics?.length) {
      const text = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n')
      throw new Error(`${relative(ROOT, source)}: ${text}`)
    }
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, outputText)
    compiled++
  }
  // src/package-files.ts finds tend's own files (hooks/, drizzle/, bin/…) through this link.
  const pkg = join(TEST_BUILD, 'package.json')
  if (!existsSync(pkg)) symlinkSync(join(ROOT, 'package.json'), pkg)
  return { dir: TEST_BUILD, compiled }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { dir, compiled } = buildTests()
  process.stdout.write(`${dir} (${compiled} file(s) compiled)\n`)
}
