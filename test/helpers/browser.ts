// Debian's chromium, driven by playwright-core (no browser download), and what a person sees on the page.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { chromium, type Browser, type Locator } from 'playwright-core'
import { waitFor } from './wait-for.ts'

export const CHROMIUM = process.env['TEND_TEST_CHROMIUM'] ?? '/usr/bin/chromium'
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
]

export function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: run scripts/ci-apt.sh (Debian's chromium package)`)
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS })
}

/** What a person would see: the text of the element, once it matches (the page updates on its own). */
export async function shows(locator: Locator, text: string | RegExp, what = String(text)): Promise<void> {
  await waitFor(
    async () => {
      const seen = (await locator.allInnerTexts()).join('\n')
      return typeof text === 'string' ? seen.includes(text) : text.test(seen)
    },
    10_000,
    what,
  )
}
