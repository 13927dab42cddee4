'use strict';
// The monitor page: the builds of the apps a token may read, live. It asks for an API token (kept in
// sessionStorage: this tab only), loads the lists from the JSON API, follows GET /v1/events (server-sent
// events, read with fetch so that the token goes in the Authorization header, never in a URL), and
// follows an opened build's log (GET .../log?follow=1, chunked). Everything shown goes into the DOM
// as text (textContent, text nodes), never as markup: build logs and records are user data.
(() => {
  const TOKEN = 'octohost.token';
  const RECENT = 20; // builds shown per app
  const RETRY_MS = 2000;
  const ENDED = ['succeeded', 'failed', 'timedout', 'cancelled'];
  const RUNNING = ['pending', 'queued', 'building'];
  const $ = id => document.getElementById(id);
  const builds = new Map(); // "app/id" -> its newest record
  const rows = new Map(); // "app/id" -> its row in the app's table
  const runningRows = new Map(); // "app/id" -> its row under "Running"
  const appTables = new Map(); // app -> tbody
  let token = null;
  let events = null; // the AbortController of the event stream
  let follow = null; // the AbortController of the followed log
  let openKey = null;

  const keyOf = b => b.app + '/' + b.id;
  // records can arrive out of order (a list loaded while events come): a status never goes back
  const rank = status => (ENDED.includes(status) ? RUNNING.length : RUNNING.indexOf(status));
  const when = t => (t ? new Date(t).toLocaleString() : '');

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // credentials 'omit': the token goes in the header; and a 401's Basic challenge must not make the
  // browser ask for a user and password (it would, and the request would wait on that dialog)
  async function api(path, signal) {
    const init = { headers: { Authorization: 'Bearer ' + token }, credentials: 'omit', signal, cache: 'no-store' };
    const r = await fetch(path, init);
    if (r.status === 401) {
      signOut('octod refused the token: ' + (await errorOf(r)));
      throw new Error('401');
    }
    if (!r.ok) throw new Error(r.status + ' ' + (await errorOf(r)));
    return r;
  }

  async function errorOf(r) {
    try {
      return (await r.json()).error;
    } catch (e) {
      return r.statusText;
    }
  }

  // Reads a streamed body, handing each decoded piece of text on as it arrives.
  async function read(response, onText) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      onText(value);
    }
  }

  function setConnection(text, live) {
    $('connection').textContent = text;
    $('connection').classList.toggle('live', !!live);
  }

  // The event stream first, then the lists: once the stream answers, octod is watching for this page,
  // so no change between the two is missed. octod ends a stream after a minute (the next request checks
  // the token again): then at once; when it breaks, after a pause.
  async function connect() {
    const ctl = new AbortController();
    events = ctl;
    let pause = RETRY_MS;
    try {
      const response = await api('v1/events', ctl.signal);
      let buffer = '';
      const stream = read(response, text => {
        buffer += text;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          onEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      });
      await loadAll();
      setConnection('live', true);
      await stream;
      pause = 0;
    } catch (e) {
      if (ctl.signal.aborted) return;
      console.warn('event stream:', e);
      setConnection('reconnecting');
    }
    if (ctl.signal.aborted || token === null) return;
    setTimeout(() => token !== null && events === ctl && connect(), pause);
  }

  function onEvent(block) {
    let type = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (type === 'build' && data) upsert(JSON.parse(data));
  }

  async function loadAll() {
    const apps = await (await api('v1/apps')).json();
    $('no-apps').hidden = apps.length > 0;
    await Promise.all(apps.map(async a => {
      tableOf(a.name);
      const list = await (await api('v1/apps/' + encodeURIComponent(a.name) + '/builds')).json();
      list.slice(0, RECENT).forEach(upsert);
    }));
  }

  // The app's table, made (in name order) the first time one of its builds shows.
  function tableOf(app) {
    let body = appTables.get(app);
    if (body) return body;
    const section = el('div', 'app');
    section.dataset.app = app;
    section.append(el('h3', null, app));
    const table = el('table');
    body = el('tbody');
    table.append(body);
    section.append(table);
    const after = [...$('apps').children].find(s => s.dataset.app > app);
    $('apps').insertBefore(section, after || null);
    appTables.set(app, body);
    $('no-apps').hidden = true;
    return body;
  }

  function newRow(b) {
    const row = el('tr', 'build-row');
    row.dataset.build = keyOf(b);
    row.dataset.created = b.created;
    for (const name of ['app', 'id', 'status', 'trigger', 'by', 'created', 'release']) {
      row.append(el('td', name === 'id' ? 'id' : name));
    }
    row.addEventListener('click', () => openBuild(b.app, b.id));
    return row;
  }

  function fill(row, b) {
    const cells = row.children;
    cells[0].textContent = b.app;
    cells[1].textContent = b.id;
    cells[2].textContent = b.status;
    cells[2].className = 'status status-' + b.status;
    cells[3].textContent = b.trigger;
    cells[4].textContent = b.by || '';
    cells[5].textContent = when(b.created);
    cells[6].textContent = b.release || '';
    row.classList.toggle('open', keyOf(b) === openKey);
  }

  // Newest first: before the first row created earlier.
  function place(body, row) {
    const later = [...body.children].find(r => Date.parse(r.dataset.created) < Date.parse(row.dataset.created));
    body.insertBefore(row, later || null);
  }

  function upsert(b) {
    const key = keyOf(b);
    const old = builds.get(key);
    if (old && rank(old.status) > rank(b.status)) return;
    builds.set(key, b);
    let row = rows.get(key);
    if (!row) {
      row = newRow(b);
      rows.set(key, row);
      const body = tableOf(b.app);
      place(body, row);
      while (body.children.length > RECENT) rows.delete(body.lastChild.dataset.build), body.lastChild.remove();
    }
    fill(row, b);
    let running = runningRows.get(key);
    if (RUNNING.includes(b.status)) {
      if (!running) {
        running = newRow(b);
        runningRows.set(key, running);
        place($('running'), running);
      }
      fill(running, b);
    } else if (running) {
      running.remove();
      runningRows.delete(key);
    }
    $('none-running').hidden = runningRows.size > 0;
    if (key === openKey) showRecord(b);
  }

  function showRecord(b) {
    if (!b) return;
    $('build-status').textContent = b.status;
    $('build-status').className = 'status status-' + b.status;
    const parts = [b.trigger + (b.by ? ' by ' + b.by : ''), b.source, 'created ' + when(b.created)];
    if (b.ended) parts.push('ended ' + when(b.ended));
    if (b.release) parts.push('release ' + b.release);
    if (b.reason) parts.push(b.reason);
    $('build-detail').textContent = parts.filter(Boolean).join(' · ');
  }

  // Shows the build's record and its log, followed until the build ends.
  async function openBuild(app, id) {
    if (follow) follow.abort();
    const ctl = new AbortController();
    follow = ctl;
    openKey = app + '/' + id;
    for (const [key, row] of [...rows, ...runningRows]) row.classList.toggle('open', key === openKey);
    $('build').hidden = false;
    $('build-title').textContent = openKey;
    showRecord(builds.get(openKey));
    const log = $('log');
    log.textContent = '';
    try {
      const path = 'v1/apps/' + encodeURIComponent(app) + '/builds/' + encodeURIComponent(id) + '/log?follow=1';
      await read(await api(path, ctl.signal), text => {
        const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
        log.append(text); // a text node: the log is never parsed as markup
        if (atEnd) log.scrollTop = log.scrollHeight;
      });
    } catch (e) {
      if (!ctl.signal.aborted) log.append('\n[monitor: the log could not be read: ' + e.message + ']\n');
    }
  }

  function signIn(value) {
    token = value;
    sessionStorage.setItem(TOKEN, value);
    $('sign-in-error').textContent = '';
    setConnection('connecting');
    show(true);
    connect();
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN);
    token = null;
    for (const ctl of [events, follow]) if (ctl) ctl.abort();
    events = follow = openKey = null;
    for (const map of [builds, rows, runningRows, appTables]) map.clear();
    $('apps').replaceChildren();
    $('running').replaceChildren();
    $('log').textContent = '';
    $('build').hidden = true;
    $('sign-in-error').textContent = message || '';
    setConnection('not connected');
    show(false);
  }

  function show(signedIn) {
    $('sign-in').hidden = signedIn;
    $('monitor').hidden = !signedIn;
    $('sign-out').hidden = !signedIn;
    if (!signedIn) $('token').focus();
  }

  $('sign-in').addEventListener('submit', e => {
    e.preventDefault();
    const value = $('token').value.trim();
    $('token').value = '';
    if (value) signIn(value);
  });
  $('sign-out').addEventListener('click', () => signOut());
  const saved = sessionStorage.getItem(TOKEN);
  if (saved) signIn(saved);
  else show(false);
})();
