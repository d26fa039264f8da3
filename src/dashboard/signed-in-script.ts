// The login answer's script (served as /ui/assets/signed-in.js): keeps the session's write key, which
// that one answer carries in a <meta>, in localStorage (per origin: scheme, host and port, so a page
// another user serves on another port of this host cannot read it, as it can the cookie), then goes
// on to the dashboard, replacing this page in the history.
export const WRITE_KEY_STORAGE = 'tend-write-key'

export const signedInScript = String.raw`(function () {
  'use strict'
  var m = document.querySelector('meta[name="tend-write-key"]')
  var key = m ? m.getAttribute('content') : ''
  try {
    if (key) localStorage.setItem('${WRITE_KEY_STORAGE}', key)
  } catch (err) {
    var p = document.getElementById('signed-in')
    if (p) p.textContent = 'Signed in, but this browser keeps no local storage: the dashboard can read but not act. ' + err.message
    return
  }
  if (m) m.remove()
  location.replace('/')
})()
`
