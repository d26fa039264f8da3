// The dashboard's script (served as /ui/assets/dashboard.js): plain browser JavaScript, no build step.
// It keeps the wait clocks ticking, swaps in the fragments the live stream (/ui/events) sends without
// losing a reply being typed, posts answers and priorities with the page's CSRF token and the write key
// the login page left in localStorage (X-Tend-Key; without it the page says it can read but not act),
// draws the attention charts with uPlot, and handles the keys (j/k, a/d, r, o, ?).
import { WRITE_KEY_STORAGE } from './signed-in-script.ts'

export const dashboardScript = String.raw`(function () {
  'use strict'
  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]')
    return m ? m.getAttribute('content') : ''
  }
  var csrf = meta('csrf-token')
  var writeKey = null
  try { writeKey = localStorage.getItem('${WRITE_KEY_STORAGE}') } catch (err) { writeKey = null }
  var READ_ONLY = 'This browser can read but not act: run ' + String.fromCharCode(96) + 'tend open' + String.fromCharCode(96) + ' again'
  var skew = Number(meta('server-now')) - Date.now()
  var agentSection = document.getElementById('agent')
  var agent = agentSection ? agentSection.getAttribute('data-agent') : null
  var selected = null

  // The same wording as core/duration.ts: 45s, 3m12s, 2h05m, 3d04h.
  function pad(n) { return n < 10 ? '0' + n : String(n) }
  function fmt(ms) {
    var s = Math.max(0, Math.floor(ms / 1000))
    if (s < 60) return s + 's'
    var m = Math.floor(s / 60)
    if (m < 60) return m + 'm' + pad(s % 60) + 's'
    var h = Math.floor(m / 60)
    if (h < 48) return h + 'h' + pad(m % 60) + 'm'
    return Math.floor(h / 24) + 'd' + pad(h % 24) + 'h'
  }
  function tick() {
    var now = Date.now() + skew
    document.querySelectorAll('time.clock[data-since]').forEach(function (el) {
      el.textContent = fmt(now - Number(el.getAttribute('data-since')))
    })
  }
  function localTimes() {
    document.querySelectorAll('time.at[data-at]').forEach(function (el) {
      el.textContent = new Date(Number(el.getAttribute('data-at'))).toLocaleTimeString()
    })
  }
  setInterval(tick, 1000)

  function notice(text, isError) {
    var box = document.getElementById('notices')
    var el = document.createElement('div')
    el.className = 'notice' + (isError ? ' error' : '')
    el.setAttribute('role', isError ? 'alert' : 'status')
    el.textContent = text
    box.appendChild(el)
    setTimeout(function () { el.remove() }, isError ? 20000 : 6000)
  }

  // Without the write key nothing this page sends would be accepted: say so once, and keep saying it.
  function readOnly() {
    if (document.getElementById('read-only')) return
    var el = document.createElement('div')
    el.id = 'read-only'
    el.className = 'notice error'
    el.setAttribute('role', 'alert')
    el.textContent = READ_ONLY + ' (this browser holds no write key for this dashboard).'
    document.getElementById('notices').appendChild(el)
  }
  if (!writeKey) readOnly()

  function send(method, url, body) {
    var headers = { 'x-csrf-token': csrf }
    if (writeKey) headers['x-tend-key'] = writeKey
    var init = { method: method, credentials: 'same-origin', headers: headers }
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json'
      init.body = JSON.stringify(body)
    }
    return fetch(url, init).then(function (r) {
      return r.json().catch(function () { return {} }).then(function (j) {
        if (j && j.error && j.error.code === 'forbidden_write_key') readOnly()
        return { ok: r.ok, status: r.status, body: j }
      })
    }, function (err) { return { ok: false, status: 0, body: { error: { message: 'the receiver is not reachable: ' + err.message } } } })
  }
  function failure(res) {
    var err = res.body && res.body.error
    if (!err) return 'refused (' + res.status + ')'
    // A validation error names each field and what is wrong with it.
    var issues = (err.issues || []).map(function (i) { return (i.path && i.path !== '(root)' ? i.path + ': ' : '') + i.message })
    return issues.length ? err.message + ': ' + issues.join('; ') : err.message
  }
  // For a page's own script (rules.js): the same requests, notices and error wording.
  window.tend = { send: send, notice: notice, failure: failure }

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll('#queue-list .card, #agent-live .card'))
  }
  function cardOf(el) { return el && el.closest ? el.closest('.card') : null }
  function labelOf(card) {
    var h = card && card.querySelector('h3')
    return h ? h.textContent.trim() : 'the agent'
  }
  function select(card) {
    cards().forEach(function (c) { c.classList.toggle('selected', c === card) })
    selected = card ? card.getAttribute('data-session') : null
    if (card) card.scrollIntoView({ block: 'nearest' })
  }
  function current() {
    var all = cards()
    for (var i = 0; i < all.length; i++) if (all[i].getAttribute('data-session') === selected) return all[i]
    return null
  }

  function answer(card, waitId, body) {
    var buttons = card ? card.querySelectorAll('button') : []
    buttons.forEach(function (b) { b.disabled = true })
    return send('POST', '/ui/waits/' + encodeURIComponent(waitId) + '/answer', body).then(function (res) {
      buttons.forEach(function (b) { b.disabled = false })
      var who = labelOf(card)
      if (res.ok) {
        var verb = body.action === 'approve' ? 'Approved' : body.action === 'deny' ? 'Denied' : 'Sent to'
        notice(verb + ' ' + who + (res.body.path === 'mod' ? ' (as your prompt)' : ''))
        var box = card && card.querySelector('textarea')
        if (box) box.value = ''
      } else notice(who + ': ' + failure(res), true)
      return res
    })
  }

  // The live stream: each event carries fragments by element id; a reply being typed survives the swap.
  function apply(fragments) {
    var drafts = {}
    document.querySelectorAll('textarea[data-draft]').forEach(function (t) { if (t.value) drafts[t.getAttribute('data-draft')] = t.value })
    var active = document.activeElement
    var focusedDraft = active && active.getAttribute && active.getAttribute('data-draft')
    var caret = focusedDraft ? [active.selectionStart, active.selectionEnd] : null
    Object.keys(fragments).forEach(function (id) {
      // Only the parts marked live: an older page of a timeline stays as it is.
      var el = document.getElementById(id)
      if (el && el.hasAttribute('data-live')) el.innerHTML = fragments[id]
    })
    document.querySelectorAll('textarea[data-draft]').forEach(function (t) {
      var id = t.getAttribute('data-draft')
      if (drafts[id]) t.value = drafts[id]
      if (id === focusedDraft) { t.focus(); t.setSelectionRange(caret[0], caret[1]) }
    })
    var count = document.getElementById('queue-count')
    if (count) document.title = (count.textContent !== '0' ? '(' + count.textContent + ') ' : '') + 'tend'
    var still = current()
    if (still) still.classList.add('selected')
    tick()
    localTimes()
  }
  var live = document.getElementById('live')
  var stream = new EventSource('/ui/events' + (agent ? '?agent=' + encodeURIComponent(agent) : ''))
  stream.addEventListener('fragments', function (e) {
    apply(JSON.parse(e.data))
    document.body.setAttribute('data-live-at', e.lastEventId)
  })
  stream.addEventListener('signed-out', function () {
    stream.close()
    try { localStorage.removeItem('${WRITE_KEY_STORAGE}') } catch (err) {}
    location.reload()
  })
  stream.onopen = function () { live.textContent = 'live'; live.className = 'live on' }
  stream.onerror = function () { live.textContent = stream.readyState === 2 ? 'offline: reload' : 'reconnecting…'; live.className = 'live off' }

  document.addEventListener('click', function (e) {
    var t = e.target
    var action = t.getAttribute && t.getAttribute('data-action')
    if (action === 'approve' || action === 'deny') {
      e.preventDefault()
      answer(cardOf(t), t.getAttribute('data-wait'), { action: action })
    } else if (t.hasAttribute && t.hasAttribute('data-revoke')) {
      var id = t.getAttribute('data-revoke')
      send('DELETE', '/ui/sessions/' + encodeURIComponent(id)).then(function (res) {
        if (!res.ok) return notice(failure(res), true)
        notice('Session ' + id + ' revoked')
        var list = document.getElementById('sessions-list')
        if (list && res.body.html) list.innerHTML = res.body.html
      })
    } else if (t.id === 'logout') {
      send('POST', '/ui/logout').then(function (res) {
        if (!res.ok) return notice('Not logged out: ' + failure(res), true)
        try { localStorage.removeItem('${WRITE_KEY_STORAGE}') } catch (err) {}
        location.href = '/'
      })
    } else if (t.id === 'help-button') {
      document.getElementById('help').showModal()
    } else {
      var card = cardOf(t)
      if (card) { cards().forEach(function (c) { c.classList.toggle('selected', c === card) }); selected = card.getAttribute('data-session') }
    }
  })
  document.addEventListener('submit', function (e) {
    var form = e.target
    if (!form.classList.contains('reply')) return
    e.preventDefault()
    var text = form.querySelector('textarea').value
    if (!text.trim()) return notice('Type a reply first', true)
    answer(cardOf(form), form.getAttribute('data-wait'), { action: 'reply', text: text })
  })
  document.addEventListener('change', function (e) {
    var t = e.target
    var target = t.getAttribute && t.getAttribute('data-priority-target')
    if (!target) return
    send('PUT', '/ui/priorities', { target: target, priority: Number(t.value) }).then(function (res) {
      notice(res.ok ? 'Priority ' + t.value + ' set' : failure(res), !res.ok)
    })
  })

  document.addEventListener('keydown', function (e) {
    var t = e.target
    var typing = t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.tagName === 'SELECT')
    if (typing) {
      if (e.key === 'Escape') t.blur()
      else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && t.tagName === 'TEXTAREA') {
        e.preventDefault()
        t.form.requestSubmit()
      }
      return
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return
    var all = cards()
    var card = current()
    var i = card ? all.indexOf(card) : -1
    switch (e.key) {
      case 'j': select(all[Math.min(all.length - 1, i + 1)] || null); break
      case 'k': select(all[Math.max(0, i - 1)] || null); break
      case 'a':
      case 'd': {
        if (!card) { select(all[0] || null); card = current() }
        var b = card && card.querySelector('button[data-action="' + (e.key === 'a' ? 'approve' : 'deny') + '"]')
        if (b) b.click()
        else if (card) notice(labelOf(card) + ' does not wait for a permission: r to reply', true)
        break
      }
      case 'r': {
        if (!card) { select(all[0] || null); card = current() }
        var box = card && card.querySelector('textarea')
        if (box) { e.preventDefault(); box.focus() }
        else if (card) notice(labelOf(card) + ' waits for a permission: a or d', true)
        break
      }
      case 'o': {
        var link = card && card.querySelector('h3 a')
        if (link) location.href = link.href
        break
      }
      case '?': document.getElementById('help').showModal(); break
      default: return
    }
  })

  // Attention charts (uPlot, served by the receiver).
  var charts = document.getElementById('charts')
  function draw() {
    if (!charts || !window.uPlot) return
    fetch('/ui/attention?days=' + charts.getAttribute('data-days'), { credentials: 'same-origin' })
      .then(function (r) { return r.json() })
      .then(function (s) {
        var days = s.days.map(function (d) { return d / 1000 })
        var bars = uPlot.paths.bars({ size: [0.6, 40] })
        function spot(name) { return charts.querySelector('[data-chart="' + name + '"]') }
        function size(el) { return { width: Math.max(260, el.clientWidth - 8), height: 170 } }
        function plot(name, opts, data) {
          var el = spot(name)
          el.innerHTML = ''
          var u = new uPlot(Object.assign(size(el), opts), data, el)
          window.addEventListener('resize', function () { u.setSize(size(el)) })
        }
        var minutes = { values: function (u, splits) { return splits.map(function (v) { return v + 'm' }) } }
        plot('idle', {
          series: [{}, { label: 'idle agent-minutes', fill: 'rgba(179,92,0,.55)', stroke: '#b35c00', paths: bars },
            { label: 'median wait (min)', stroke: '#2d5bd7', width: 2, spanGaps: true }],
          axes: [{}, minutes],
        }, [days, s.idleMinutes, s.waitMinutes])
        plot('n', {
          series: [{}, { label: 'measured N', stroke: '#2d5bd7', width: 2, spanGaps: true },
            { label: 'agents active', stroke: '#b35c00', width: 2, dash: [6, 4] }],
          axes: [{}, {}],
        }, [days, s.n, s.activeAgents])
        function spread(name, x, color) {
          plot(name, {
            series: [{}, { label: 'median', stroke: color, width: 2, spanGaps: true },
              { label: 'p25', stroke: color, width: 1, dash: [3, 3], spanGaps: true },
              { label: 'p75', stroke: color, width: 1, dash: [3, 3], spanGaps: true }],
            bands: [{ series: [3, 2], fill: 'rgba(127,127,127,.15)' }],
            axes: [{}, minutes],
          }, [days, x.median, x.low, x.high])
        }
        spread('tWork', s.tWorkMinutes, '#2f7d32')
        spread('tInstruct', s.tInstructMinutes, '#2d5bd7')
        charts.setAttribute('data-drawn', '1')
      })
      .catch(function (err) { notice('charts: ' + err.message, true) })
  }
  draw()
  tick()
  localTimes()
})()
`
