// The dashboard's page shell: header, navigation, the CSRF token and the server's clock for the script.
import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

type Html = HtmlEscapedString | Promise<HtmlEscapedString>

/** Scripts and styles come only from the receiver itself (server/routes/ui.ts sets the CSP). */
export function page(opts: {
  title: string
  csrf: string
  now: number
  away?: boolean
  main: Html
  charts?: boolean
  /** The capacity warning when the live agents exceed the practical limit (kept live by the stream). */
  banner?: string | null
  /** A page's own script after dashboard.js (e.g. rules.js). */
  script?: string
}) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content="${opts.csrf}" />
        <meta name="server-now" content="${opts.now}" />
        <title>${opts.title}</title>
        <link rel="stylesheet" href="/ui/assets/dashboard.css" />
        ${opts.charts ? html`<link rel="stylesheet" href="/ui/assets/uplot.css" />` : ''}
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">tend</a>
          <nav>
            <a href="/#queue">Queue</a>
            <a href="/#attention">Attention</a>
            <a href="/#pings">Pings</a>
            <a href="/#sessions">Sessions</a>
            <a href="/ui/rules">Rules</a>
            <a href="/ui/report">Report</a>
          </nav>
          <span id="presence" class="presence" data-live>${opts.away ? 'away' : 'present'}</span>
          <span id="live" class="live" title="live updates">connecting…</span>
          <button type="button" id="help-button" aria-label="keyboard help">?</button>
          <button type="button" id="logout">Log out</button>
        </header>
        <div id="capacity-banner" class="banner" role="alert" data-live>${capacityBanner(opts.banner ?? null)}</div>
        <div id="notices" role="status" aria-live="polite"></div>
        <main>${opts.main}</main>
        <dialog id="help">
          <h2>Keys</h2>
          <dl>
            <dt>j / k</dt>
            <dd>next / previous waiting agent</dd>
            <dt>a</dt>
            <dd>approve the selected permission</dd>
            <dt>d</dt>
            <dd>deny it</dd>
            <dt>r</dt>
            <dd>reply to the selected agent (Ctrl+Enter sends)</dd>
            <dt>o</dt>
            <dd>open its timeline</dd>
            <dt>Esc</dt>
            <dd>leave the reply box</dd>
            <dt>?</dt>
            <dd>this help</dd>
          </dl>
          <form method="dialog"><button>Close</button></form>
        </dialog>
        ${opts.charts ? html`<script src="/ui/assets/uplot.js"></script>` : ''}
        <script src="/ui/assets/dashboard.js"></script>
        ${opts.script ? html`<script src="/ui/assets/${opts.script}"></script>` : ''}
      </body>
    </html>`
}

/** The banner's content: the capacity warning, or nothing within the limit. */
export function capacityBanner(warning: string | null) {
  return warning ? html`<p><b>Over your practical limit.</b> ${warning} <a href="/ui/report">Report</a></p>` : html``
}

/** The page a browser without a session gets: how to sign in (never a form asking for the token). */
export function signedOutPage(reason: string) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>tend · sign in</title>
        <link rel="stylesheet" href="/ui/assets/dashboard.css" />
      </head>
      <body class="signed-out">
        <main>
          <h1>tend</h1>
          <p>${reason}</p>
          <p>Run <code>tend open</code> in a terminal: it opens this dashboard with a one-time login link.</p>
        </main>
      </body>
    </html>`
}

/**
 * After a login link: the one page that holds the session's write key. Its script (signed-in.js) keeps
 * the key in this origin's localStorage and goes on to the dashboard (a same-site navigation sends the cookie).
 */
export function signedInPage(writeKey: string) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="tend-write-key" content="${writeKey}" />
        <title>tend · signed in</title>
        <link rel="stylesheet" href="/ui/assets/dashboard.css" />
      </head>
      <body class="signed-out">
        <main>
          <p id="signed-in">Signed in. <a href="/">Open the dashboard</a>.</p>
        </main>
        <script src="/ui/assets/signed-in.js"></script>
      </body>
    </html>`
}
