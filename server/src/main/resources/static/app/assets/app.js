/* Wardfleet clinician app. One file, no build step, no inline script (CSP script-src 'self').
   It calls the same JSON API as every client, with a short-lived access token minted for this browser session
   (POST /app/session/token) and held in memory only: nothing about messages goes to localStorage, the URL
   (only ids, in the hash) or a notification (priority and "open Wardfleet", like the pager text policy). */
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const meta = (name) => (document.querySelector('meta[name="' + name + '"]') || {}).content;
  const CSRF = meta('csrf-token');
  const CSRF_HEADER = meta('csrf-header') || 'X-CSRF-TOKEN';
  const RENEW_EVERY_MS = 60000;
  const ANSWERED = ['ACKNOWLEDGED', 'DECLINED'];

  const state = {
    token: null, me: null, touched: false, ended: false, stream: null,
    names: new Map(), inbox: [], next: null, alert: null, banners: new Map(), view: null
  };

  /* ---------- the session: token in memory, renewed every minute; a touch of the page keeps it alive ---------- */

  ['keydown', 'pointerdown', 'touchstart'].forEach((e) => document.addEventListener(e, () => {
    state.touched = true;
  }, { passive: true }));

  async function renew() {
    const active = state.touched;
    state.touched = false;
    let r;
    try {
      r = await fetch('/app/session/token' + (active ? '?active=true' : ''), {
        method: 'POST', credentials: 'same-origin', headers: { [CSRF_HEADER]: CSRF, Accept: 'application/json' }
      });
    } catch (e) {
      return state.token != null; // offline for a moment: keep what we have, the stream reconnects
    }
    if (!r.ok) {
      signedOut();
      return false;
    }
    const t = await r.json();
    state.token = t.token;
    state.me = t.userId;
    return true;
  }

  /** The session ended (signed out here or elsewhere, idle, disabled): nothing of it stays on screen. */
  function signedOut() {
    if (state.ended) {
      return;
    }
    state.ended = true;
    state.token = null;
    stopTone();
    if (state.stream) {
      state.stream.abort();
    }
    window.location.replace('/app/signin?expired');
  }

  function key() {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }

  class Problem extends Error {
    constructor(status, body) {
      super((body && (body.detail || body.title)) || 'Something went wrong (' + status + ')');
      this.status = status;
      this.type = body && body.type;
    }
  }

  async function api(method, path, body) {
    if (!state.token && !(await renew())) {
      throw new Problem(401, null);
    }
    const send = () => {
      const headers = { Authorization: 'Bearer ' + state.token, Accept: 'application/json' };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
      }
      if (method === 'POST') {
        headers['Idempotency-Key'] = key();
      }
      return fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    };
    let r = await send();
    if (r.status === 401 && await renew()) {
      r = await send();
    }
    if (r.status === 401) {
      signedOut();
    }
    if (!r.ok) {
      throw new Problem(r.status, await r.json().catch(() => null));
    }
    return r.status === 204 ? null : r.json();
  }

  /* ---------- small DOM helpers: text only, never HTML from data ---------- */

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === null || v === undefined || v === false) {
        return;
      }
      if (k === 'text') {
        el.textContent = v;
      } else if (k === 'on') {
        Object.entries(v).forEach(([ev, fn]) => el.addEventListener(ev, fn));
      } else {
        el.setAttribute(k, v === true ? '' : v);
      }
    });
    children.flat().forEach((c) => {
      if (c !== null && c !== undefined && c !== false) {
        el.append(c instanceof Node ? c : document.createTextNode(String(c)));
      }
    });
    return el;
  }

  const time = (iso) => iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
  const when = (iso) => {
    if (!iso) {
      return '';
    }
    const d = new Date(iso);
    return d.toDateString() === new Date().toDateString() ? time(iso)
      : d.toLocaleDateString([], { day: 'numeric', month: 'short' }) + ' ' + time(iso);
  };
  const nameOf = (id) => id === state.me ? 'You' : (state.names.get(id) || 'Someone');
  const remember = (names) => Object.entries(names || {}).forEach(([id, n]) => state.names.set(id, n));

  function badge(priority) {
    return priority && priority !== 'ROUTINE'
      ? h('span', { class: 'badge ' + priority.toLowerCase(), text: priority }) : null;
  }

  function problemText(e) {
    return e instanceof Problem ? e.message : 'Wardfleet cannot be reached. Check the network and try again.';
  }

  function view(title, ...content) {
    const v = $('view');
    v.replaceChildren(h('h1', { text: title }), ...content.filter((c) => c !== null && c !== undefined));
    return v;
  }

  /* ---------- live: the per-user event stream (SSE over fetch, so the token rides in a header) ---------- */

  function connection(text, live) {
    const c = $('connection');
    c.textContent = text;
    c.classList.toggle('live', !!live);
  }

  async function listen() {
    let delay = 1000;
    while (!state.ended) {
      const ctl = new AbortController();
      state.stream = ctl;
      try {
        if (!state.token) {
          await renew();
        }
        const r = await fetch('/api/v1/messages/stream', {
          headers: { Authorization: 'Bearer ' + state.token, Accept: 'text/event-stream' }, signal: ctl.signal
        });
        if (r.status === 401) {
          if (!(await renew())) {
            return;
          }
          continue;
        }
        if (!r.ok) {
          throw new Error('stream ' + r.status);
        }
        connection('Live: new pages and messages appear here as they arrive.', true);
        delay = 1000;
        refresh(); // whatever arrived while we were not listening
        const reader = r.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const chunk = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            dispatch(chunk);
          }
        }
      } catch (e) {
        if (state.ended) {
          return;
        }
      }
      connection('Reconnecting… pages still reach your phone or pager meanwhile.', false);
      await new Promise((done) => setTimeout(done, delay));
      delay = Math.min(delay * 2, 15000);
    }
  }

  function dispatch(chunk) {
    let type = 'message';
    let data = '';
    chunk.split('\n').forEach((line) => {
      if (line.startsWith('event:')) {
        type = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data += line.slice(5).trim();
      }
    });
    if (!data) {
      return;
    }
    let event;
    try {
      event = JSON.parse(data);
    } catch (e) {
      return;
    }
    const id = event.messageId;
    if (type === 'message') {
      if (event.alert && !state.alert) {
        // the signal says "a page that waits for you": alert now, fill in the text as soon as it is here
        raise({ id, priority: event.alert, pending: true, choices: [] });
      }
      arrived(id);
    } else if (type === 'receipt') {
      answered(id);
    } else if (type === 'recalled') {
      recalled(id);
    } else if (type === 'resync') {
      // the server may have missed live events (its change stream position was lost): reload what is shown
      refresh();
    }
  }

  /* ---------- a message arrives: alert, banner or just the inbox ---------- */

  async function arrived(id) {
    let m;
    try {
      m = await api('GET', '/api/v1/messages/' + encodeURIComponent(id));
    } catch (e) {
      return;
    }
    const mine = (m.recipients || []).find((r) => r.userId === state.me);
    refreshInbox();
    if (state.view && state.view.conversation === m.conversationId) {
      showConversation(m.conversationId);
    }
    const waiting = mine && !ANSWERED.includes(mine.state) && !m.recalledAt && m.senderId !== state.me;
    if (!waiting || isBroadcast(m)) {
      if (state.alert && state.alert.id === m.id && state.alert.pending) {
        closeAlert();
      }
      if (waiting) {
        banner(m);
      }
      return;
    }
    if (m.requiresAck && m.priority !== 'ROUTINE') {
      raise(m);
    }
  }

  const isBroadcast = (m) => m.drill || ((m.choices || []).length > 0 && (m.recipients || []).length > 2);

  async function answered(id) {
    refreshInbox();
    if (state.alert && state.alert.id === id) {
      checkAlert(id);
    }
    if (state.view && state.view.page === id) {
      showPage(id);
    } else if (state.view && state.view.conversation) {
      showConversation(state.view.conversation);
    }
  }

  function recalled(id) {
    refreshInbox();
    if (state.alert && state.alert.id === id) {
      closeAlert();
    }
    if (state.banners.has(id)) {
      state.banners.get(id).remove();
      state.banners.delete(id);
    }
    const shown = '[data-message="' + CSS.escape(id) + '"]';
    document.querySelectorAll('#view ' + shown + ', #broadcasts ' + shown).forEach((el) => el.remove());
  }

  /* ---------- the STAT alert: full screen, a tone that repeats until someone answers ---------- */

  let audio = null;
  let toneTimer = null;

  function beep(at, freq) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'square';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.6, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.22);
    osc.connect(gain).connect(audio.destination);
    osc.start(at);
    osc.stop(at + 0.25);
  }

  function startTone(repeat) {
    stopTone();
    try {
      audio = audio || new AudioContext();
    } catch (e) {
      return;
    }
    const play = () => {
      const t = audio.currentTime + 0.05;
      beep(t, 880);
      beep(t + 0.3, 660);
      beep(t + 0.6, 880);
    };
    play();
    if (repeat) {
      toneTimer = setInterval(play, 2000);
    }
    $('alert').dataset.tone = audio.state === 'running' ? 'playing' : 'blocked';
    $('setup').hidden = audio.state === 'running' && notificationsDecided();
  }

  function stopTone() {
    if (toneTimer) {
      clearInterval(toneTimer);
      toneTimer = null;
    }
    if ($('alert')) {
      $('alert').dataset.tone = 'off';
    }
  }

  const notificationsDecided = () => !('Notification' in window) || Notification.permission !== 'default';

  /** A system notification while the tab is in the background: the priority only, never the text or sender. */
  function notify(m) {
    if (!document.hidden || !('Notification' in window) || Notification.permission !== 'granted') {
      return;
    }
    const title = m.priority === 'STAT' ? 'STAT page' : m.priority === 'URGENT' ? 'Urgent page' : 'New message';
    const n = new Notification(title, { body: 'Open Wardfleet', tag: 'wardfleet-' + m.priority,
      requireInteraction: m.priority === 'STAT' });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  }

  const fromBase64url = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')
    + '==='.slice((s.length + 3) % 4)), (c) => c.charCodeAt(0));

  /**
   * Web Push: the service worker (/app/sw.js) shows the same notification when no Wardfleet tab is open. Subscribed
   * when notifications are allowed and the browser has a PushManager; the server keeps one subscription per browser.
   */
  async function subscribePush() {
    if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)
        || Notification.permission !== 'granted') {
      return;
    }
    try {
      const registration = await navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' });
      const key = fromBase64url((await api('GET', '/api/v1/me/web-push/key')).publicKey);
      let sub = await registration.pushManager.getSubscription();
      const current = sub && sub.options.applicationServerKey
        && new Uint8Array(sub.options.applicationServerKey).join() === key.join();
      if (sub && !current) {
        await sub.unsubscribe(); // made for another server key: the push service would refuse our messages
        sub = null;
      }
      sub = sub || await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      const json = sub.toJSON();
      await api('POST', '/api/v1/me/web-push/subscriptions',
        { endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } });
    } catch (e) {
      // no push service (offline, blocked, or refused): notifications still come while a tab is open
    }
  }

  function raise(m) {
    const again = state.alert && state.alert.id === m.id && !$('alert').hidden;
    state.alert = m;
    const a = $('alert');
    a.dataset.message = m.id;
    a.dataset.priority = m.priority;
    a.classList.toggle('urgent', m.priority === 'URGENT');
    $('alert-priority').textContent = (m.priority === 'STAT' ? 'STAT' : 'Urgent') + ' — acknowledgement needed';
    $('alert-title').textContent = m.pending ? 'A page for you' : 'From ' + nameOf(m.senderId);
    $('alert-text').textContent = m.pending ? 'Loading…' : (m.text || '(no text: open the conversation)');
    $('alert-ref').hidden = !m.patientRef;
    $('alert-ref').textContent = m.patientRef ? 'Patient reference: ' + m.patientRef : '';
    $('alert-outcome').textContent = '';
    $('alert-actions').hidden = false;
    $('alert-close').hidden = true;
    $('alert-decline').hidden = true;
    $('alert-ack').hidden = (m.choices || []).length > 0;
    $('alert-choices').replaceChildren(...(m.choices || []).map((c) => h('button', {
      type: 'button', class: 'button ack', text: c, on: { click: () => answer(m, 'ACKNOWLEDGED', null, c) }
    })));
    a.hidden = false;
    if (!m.pending && !state.names.has(m.senderId)) {
      refreshInbox().then(() => {
        if (state.alert === m) {
          $('alert-title').textContent = 'From ' + nameOf(m.senderId);
        }
      });
    }
    if (again) {
      return; // the same alert, now with its text: the tone and the notification are already going
    }
    a.dataset.raisedAt = String(Date.now());
    document.body.classList.add('alerting');
    startTone(m.priority === 'STAT');
    notify(m);
    (a.querySelector('.alert-choices button') || $('alert-ack')).focus();
  }

  async function answer(m, receipt, reason, choice) {
    $('alert-outcome').textContent = 'Sending…';
    try {
      await api('POST', '/api/v1/messages/' + encodeURIComponent(m.id) + '/receipts',
        { state: receipt, reason: reason || undefined, choice: choice || undefined });
      stopTone();
      if (state.alert && state.alert.id === m.id) {
        $('alert-outcome').textContent = receipt === 'DECLINED'
          ? 'You declined. The page goes on to the next person.'
          : 'You acknowledged' + (choice ? ' (' + choice + ')' : '') + '. Everyone else\'s alert stops.';
        $('alert-actions').hidden = true;
        $('alert-close').hidden = false;
        $('alert-close').focus();
      }
      refreshInbox();
    } catch (e) {
      $('alert-outcome').textContent = problemText(e);
    }
  }

  /** Someone answered a page this screen is alerting for: if it was acknowledged, say who, and stop. */
  async function checkAlert(id) {
    let page = null;
    try {
      page = await api('GET', '/api/v1/pages/' + encodeURIComponent(id));
    } catch (e) {
      page = null;
    }
    let by = page && page.state === 'ACKNOWLEDGED' ? page.acknowledgedBy : null;
    let byName = page && page.acknowledgedByName;
    if (!page) {
      const m = await api('GET', '/api/v1/messages/' + encodeURIComponent(id)).catch(() => null);
      const ack = m && (m.recipients || []).find((r) => r.state === 'ACKNOWLEDGED');
      by = ack ? ack.userId : null;
    }
    // this person's own answer is already on screen, said by answer()
    if (!by || by === state.me || !state.alert || state.alert.id !== id) {
      return;
    }
    stopTone();
    $('alert-outcome').textContent = 'Acknowledged by ' + (byName || nameOf(by)) + '. No action needed from you.';
    $('alert-actions').hidden = true;
    $('alert-close').hidden = false;
  }

  function closeAlert() {
    stopTone();
    state.alert = null;
    $('alert').hidden = true;
    $('alert-text').textContent = '';
    document.body.classList.remove('alerting');
  }

  $('alert-ack').addEventListener('click', () => state.alert && answer(state.alert, 'ACKNOWLEDGED'));
  $('alert-decline-open').addEventListener('click', () => {
    $('alert-decline').hidden = false;
    $('decline-reason').focus();
  });
  $('alert-decline').addEventListener('submit', (e) => {
    e.preventDefault();
    if (state.alert) {
      answer(state.alert, 'DECLINED', $('decline-reason').value.trim());
      $('decline-reason').value = '';
    }
  });
  $('alert-close').addEventListener('click', closeAlert);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && state.alert && !$('alert-close').hidden) {
      closeAlert();
    }
  });

  /* ---------- broadcasts: a banner with the choices; a drill says so ---------- */

  function banner(m) {
    if (state.banners.has(m.id)) {
      return;
    }
    const outcome = h('p', { class: 'banner-outcome', role: 'status' });
    const choices = (m.choices || []).length ? m.choices : ['Acknowledge'];
    const buttons = h('div', { class: 'banner-actions' }, choices.map((c) => h('button', {
      type: 'button', class: 'button', text: c, on: {
        click: async () => {
          try {
            await api('POST', '/api/v1/messages/' + encodeURIComponent(m.id) + '/receipts',
              { state: 'ACKNOWLEDGED', choice: (m.choices || []).length ? c : undefined });
            buttons.remove();
            outcome.textContent = 'Answered: ' + c + '. Thank you.';
            setTimeout(() => {
              el.remove();
              state.banners.delete(m.id);
            }, 8000);
          } catch (e) {
            outcome.textContent = problemText(e);
          }
        }
      }
    })));
    const from = () => (m.drill ? 'Drill' : 'Broadcast') + ' from ' + nameOf(m.senderId);
    const head = h('strong', { text: from() });
    if (!state.names.has(m.senderId)) {
      refreshInbox().then(() => {
        head.textContent = from();
      });
    }
    const el = h('div', { class: 'banner' + (m.drill ? ' drill' : ''), 'data-message': m.id, role: 'region',
      'aria-label': m.drill ? 'Drill' : 'Broadcast' },
      h('p', { class: 'banner-head' }, m.drill ? h('span', { class: 'badge drill', text: 'DRILL — exercise only' }) : null,
        badge(m.priority), head),
      h('p', { class: 'banner-text', text: m.text || '' }), buttons, outcome);
    state.banners.set(m.id, el);
    $('broadcasts').append(el);
    if (m.priority === 'STAT' && !m.drill) {
      startTone(false);
    }
    notify(m);
  }

  /* ---------- the inbox ---------- */

  async function refreshInbox() {
    try {
      const page = await api('GET', '/api/v1/me/inbox?size=50');
      state.inbox = page.items;
      state.next = page.next;
      page.items.forEach((i) => remember(i.names));
      const unread = page.items.reduce((n, i) => n + i.unread, 0);
      $('unread-total').hidden = unread === 0;
      $('unread-total').textContent = unread ? String(unread) : '';
      if (state.view && state.view.inbox) {
        drawInbox();
      }
      return page;
    } catch (e) {
      return null;
    }
  }

  function refresh() {
    refreshInbox().then((page) => {
      if (!page) {
        return;
      }
      page.items.filter((i) => i.awaitingMe && i.openMessageId).forEach((i) => {
        if (i.kind === 'broadcast' && !state.banners.has(i.openMessageId)) {
          arrived(i.openMessageId);
        } else if (i.kind !== 'broadcast' && i.priority !== 'ROUTINE' && !state.alert) {
          arrived(i.openMessageId);
        }
      });
    });
  }

  function showInbox() {
    state.view = { inbox: true };
    drawInbox();
    refreshInbox();
  }

  function drawInbox() {
    const list = h('ul', { class: 'inbox', id: 'inbox-list' }, state.inbox.map((i) => h('li', {
      class: 'item' + (i.awaitingMe ? ' awaiting' : '') + (i.unread ? ' unread' : ''),
      'data-conversation': i.conversationId
    }, h('a', { href: '#c/' + i.conversationId },
      h('span', { class: 'item-head' },
        badge(i.awaitingMe ? i.priority : null),
        i.kind !== 'conversation' ? h('span', { class: 'kind', text: i.drill ? 'Drill' : i.kind === 'page' ? 'Page' : 'Broadcast' }) : null,
        h('span', { class: 'title', text: i.title }),
        h('span', { class: 'time', text: when(i.lastAt) })),
      h('span', { class: 'item-sub' },
        i.awaitingMe ? h('span', { class: 'awaiting-me', text: 'Waiting for your answer' })
          : h('span', { class: 'muted', text: i.lastSenderId ? 'Last from ' + nameOf(i.lastSenderId) : 'No messages' }),
        i.unread ? h('span', { class: 'count', text: i.unread + ' unread' }) : null)))));
    view('Inbox',
      h('p', { class: 'actions' }, h('a', { class: 'button primary', href: '#new', text: 'New conversation' })),
      state.inbox.length ? list : h('p', { class: 'empty', text: 'Nothing yet. Pages and messages for you appear here as they arrive.' }),
      state.next ? h('p', { class: 'muted small', text: 'Showing the newest 50.' }) : null);
  }

  /* ---------- a conversation ---------- */

  async function showConversation(id) {
    state.view = { conversation: id };
    let c;
    try {
      c = await api('GET', '/api/v1/conversations/' + encodeURIComponent(id) + '/messages');
    } catch (e) {
      view('Conversation', h('p', { class: 'alert error', text: problemText(e) }));
      return;
    }
    if (!state.view || state.view.conversation !== id) {
      return;
    }
    remember(c.names);
    const others = c.participants.filter((p) => p !== state.me);
    const title = others.slice(0, 4).map(nameOf).join(', ') + (c.participantCount - 1 > 4
      ? ' and ' + (c.participantCount - 5) + ' more' : '');
    const list = h('ol', { class: 'messages', id: 'messages' }, c.messages.map(messageItem));
    const compose = $('compose');
    if (compose && compose.dataset.conversation === id && $('messages')) {
      // receipts and new messages redraw the list only: what the person is typing, and how, stays as it is
      $('messages').replaceWith(list);
    } else {
      view(title || 'Conversation',
        h('p', { class: 'back' }, h('a', { href: '#inbox', text: '← Inbox' })), list,
        c.participantCount <= 50 ? composer(id)
          : h('p', { class: 'muted', text: 'Replies to a broadcast go to its sender by phone.' }));
    }
    const last = $('messages').lastElementChild;
    if (last) {
      last.scrollIntoView({ block: 'nearest' });
    }
    // what the person sees on screen counts as read
    c.messages.filter((m) => m.senderId !== state.me && !m.recalledAt).forEach((m) => {
      const mine = m.recipients.find((r) => r.userId === state.me);
      if (mine && (mine.state === 'SENT' || mine.state === 'DELIVERED')) {
        api('POST', '/api/v1/messages/' + encodeURIComponent(m.id) + '/receipts', { state: 'READ' })
          .then(refreshInbox).catch(() => null);
      }
    });
  }

  function messageItem(m) {
    const own = m.senderId === state.me;
    const mine = m.recipients.find((r) => r.userId === state.me);
    const li = h('li', { class: 'message' + (own ? ' own' : ''), 'data-message': m.id },
      h('p', { class: 'message-head' }, badge(m.priority), h('strong', { text: nameOf(m.senderId) }),
        h('span', { class: 'time', text: when(m.sentAt) }),
        m.requiresAck ? h('span', { class: 'kind', text: 'Needs acknowledgement' }) : null),
      m.recalledAt ? h('p', { class: 'recalled', text: 'You recalled this message at ' + time(m.recalledAt) + '.' })
        : h('p', { class: 'message-text', text: m.text || '(text no longer kept)' }),
      m.patientRef ? h('p', { class: 'ref', text: 'Patient reference: ' + m.patientRef }) : null);
    if (own && !m.recalledAt) {
      li.append(h('ul', { class: 'receipts', 'aria-label': 'Receipts' }, m.recipients.slice(0, 50).map((r) => h('li', {
        class: 'receipt ' + r.state.toLowerCase(), 'data-user': r.userId
      }, h('span', { text: nameOf(r.userId) }), h('span', { class: 'state', text: r.state.toLowerCase() + (r.choice ? ': ' + r.choice : '') }),
      h('span', { class: 'time', text: time(r.at) }), r.reason ? h('span', { class: 'reason', text: '“' + r.reason + '”' }) : null))));
      if (m.recipients.every((r) => r.state === 'SENT' || r.state === 'DELIVERED')) {
        li.append(h('button', { type: 'button', class: 'button quiet recall', text: 'Recall (no one has read it yet)', on: {
          click: async (e) => {
            try {
              await api('POST', '/api/v1/messages/' + encodeURIComponent(m.id) + '/recall');
              showConversation(m.conversationId);
            } catch (err) {
              e.target.replaceWith(h('p', { class: 'alert error', text: problemText(err) }));
            }
          }
        } }));
      }
    } else if (mine && m.requiresAck && !ANSWERED.includes(mine.state)) {
      li.append(h('p', { class: 'message-actions' },
        ((m.choices || []).length ? m.choices : ['Acknowledge']).map((c) => h('button', {
          type: 'button', class: 'button ack', text: c, on: { click: () => answer(m, 'ACKNOWLEDGED', null, (m.choices || []).length ? c : null).then(() => showConversation(m.conversationId)) }
        }))));
    } else if (mine && ANSWERED.includes(mine.state)) {
      li.append(h('p', { class: 'muted small', text: 'You ' + mine.state.toLowerCase() + (mine.choice ? ': ' + mine.choice : '') + ' at ' + time(mine.at) + '.' }));
    }
    return li;
  }

  function composer(conversationId) {
    const status = h('p', { class: 'compose-status', role: 'status' });
    const form = h('form', { class: 'compose', id: 'compose', 'data-conversation': conversationId, on: {
      submit: async (e) => {
        e.preventDefault();
        const text = $('compose-text').value.trim();
        if (!text) {
          return;
        }
        status.textContent = 'Sending…';
        try {
          const sent = await api('POST', '/api/v1/conversations/' + encodeURIComponent(conversationId) + '/messages', {
            text, priority: $('compose-priority').value, requiresAck: $('compose-ack').checked,
            patientRef: $('compose-ref').value.trim() || undefined
          });
          // the next message starts ROUTINE again: never a STAT by leftover
          $('compose-text').value = '';
          $('compose-priority').value = 'ROUTINE';
          $('compose-ack').checked = false;
          $('compose-ref').value = '';
          status.textContent = sent.undeliverable && sent.undeliverable.length
            ? 'Sent. ' + sent.undeliverable.map(nameOf).join(', ') + ' cannot get it on a phone now (no approved, '
              + 'compliant device): they see it only while Wardfleet is open in a browser.'
            : 'Sent.';
          showConversation(conversationId);
        } catch (err) {
          status.textContent = problemText(err);
        }
      }
    } },
    h('label', { for: 'compose-text', text: 'Message' }),
    h('textarea', { id: 'compose-text', rows: '3', maxlength: '4096', required: true }),
    h('div', { class: 'compose-options' },
      h('span', {}, h('label', { for: 'compose-priority', text: 'Priority' }),
        h('select', { id: 'compose-priority' }, ['ROUTINE', 'URGENT', 'STAT'].map((p) => h('option', { value: p, text: p[0] + p.slice(1).toLowerCase() })))),
      h('span', { class: 'check' }, h('input', { type: 'checkbox', id: 'compose-ack' }),
        h('label', { for: 'compose-ack', text: 'Requires acknowledgement' })),
      h('span', {}, h('label', { for: 'compose-ref', text: 'Patient reference (optional)' }),
        h('input', { id: 'compose-ref', maxlength: '64', pattern: '[A-Za-z0-9:._\\-]*', placeholder: 'e.g. MRN:12345' }))),
    h('button', { type: 'submit', class: 'button primary', id: 'compose-send', text: 'Send' }), status);
    return form;
  }

  /* ---------- a new conversation: people or a named group ---------- */

  function showNew() {
    state.view = { fresh: true };
    const chosen = new Map();
    const picked = h('ul', { class: 'picked', id: 'picked', 'aria-label': 'Chosen' });
    const results = h('ul', { class: 'results', id: 'people-results' });
    const status = h('p', { role: 'status', class: 'muted' });
    const drawPicked = () => picked.replaceChildren(...[...chosen].map(([id, n]) => h('li', {},
      n, h('button', { type: 'button', class: 'button quiet small', 'aria-label': 'Remove ' + n, text: '×',
        on: { click: () => { chosen.delete(id); drawPicked(); } } }))));
    let timer = null;
    const search = h('input', { id: 'people-search', type: 'search', maxlength: '100', autocomplete: 'off',
      placeholder: 'Name or email', on: { input: () => {
        clearTimeout(timer);
        timer = setTimeout(async () => {
          const q = search.value.trim();
          if (q.length < 2) {
            results.replaceChildren();
            return;
          }
          try {
            const [people, groups] = await Promise.all([
              api('GET', '/api/v1/directory?size=10&q=' + encodeURIComponent(q)),
              api('GET', '/api/v1/messaging/roles').catch(() => [])]);
            const found = people.items.filter((p) => p.id !== state.me).map((p) => [p.id, p.displayName || p.email])
              .concat(groups.filter((g) => g.name.includes(q.toLowerCase())).map((g) => ['role:' + g.name, 'Group: ' + g.name]));
            results.replaceChildren(...found.map(([id, n]) => h('li', {}, h('button', { type: 'button', class: 'button quiet',
              text: n, on: { click: () => { chosen.set(id, n); drawPicked(); } } }))));
            if (!found.length) {
              results.replaceChildren(h('li', { class: 'muted', text: 'Nobody found.' }));
            }
          } catch (e) {
            status.textContent = problemText(e);
          }
        }, 250);
      } } });
    view('New conversation',
      h('p', { class: 'back' }, h('a', { href: '#inbox', text: '← Inbox' })),
      h('label', { for: 'people-search', text: 'Add people or a group' }), search, results, picked,
      h('button', { type: 'button', class: 'button primary', id: 'start', text: 'Start conversation', on: { click: async () => {
        if (!chosen.size) {
          status.textContent = 'Add at least one person.';
          return;
        }
        try {
          const c = await api('POST', '/api/v1/conversations', { participants: [...chosen.keys()] });
          window.location.hash = '#c/' + c.id;
        } catch (e) {
          status.textContent = problemText(e);
        }
      } } }), status);
    search.focus();
  }

  /* ---------- on call: who now, my shifts, page a role, my page's timeline ---------- */

  async function showOnCall() {
    state.view = { oncall: true };
    view('On call', h('p', { class: 'muted', text: 'Loading…' }));
    let roles;
    let shifts;
    let policies;
    try {
      [roles, shifts, policies] = await Promise.all([api('GET', '/api/v1/oncall/roles'),
        api('GET', '/api/v1/oncall/me/shifts').catch(() => []),
        api('GET', '/api/v1/escalation-policies?size=100').then((p) => p.items || p).catch(() => [])]);
    } catch (e) {
      view('On call', h('p', { class: 'alert error', text: problemText(e) }));
      return;
    }
    const filter = h('input', { id: 'role-search', type: 'search', maxlength: '100', placeholder: 'e.g. cardiology' });
    const list = h('ul', { class: 'roles', id: 'roles' });
    const draw = () => {
      const q = filter.value.trim().toLowerCase();
      list.replaceChildren(...roles.filter((r) => r.name.toLowerCase().includes(q)).slice(0, 50).map((r) => roleItem(r, policies)));
      if (!list.children.length) {
        list.append(h('li', { class: 'empty', text: 'No on-call role has that name.' }));
      }
    };
    filter.addEventListener('input', draw);
    view('On call',
      h('section', { class: 'shifts', 'aria-labelledby': 'shifts-title' }, h('h2', { id: 'shifts-title', text: 'My next shifts' }),
        shifts.length ? h('ul', {}, shifts.slice(0, 10).map((s) => h('li', {}, h('strong', { text: s.roleName }), ' ',
          when(s.start) + ' – ' + when(s.end)))) : h('p', { class: 'muted', text: 'No shifts in the next two weeks.' })),
      h('section', { 'aria-labelledby': 'roles-title' }, h('h2', { id: 'roles-title', text: 'Who is on call now' }),
        h('label', { for: 'role-search', text: 'Find a role' }), filter, list));
    draw();
  }

  function roleItem(r, policies) {
    const now = h('span', { class: 'now', text: 'Checking…' });
    api('GET', '/api/v1/oncall/roles/' + encodeURIComponent(r.id) + '/now').then((n) => {
      now.textContent = n.users && n.users.length ? n.users.map((u) => u.displayName || 'Someone').join(', ')
        + (n.shiftEnd ? ' until ' + when(n.shiftEnd) : '') : 'Nobody: a gap in cover';
      now.classList.toggle('gap', !(n.users && n.users.length));
    }).catch(() => {
      now.textContent = 'Nobody: a gap in cover';
      now.classList.add('gap');
    });
    const formId = 'page-' + r.id;
    const form = h('form', { class: 'page-form', id: formId, hidden: true, on: { submit: async (e) => {
      e.preventDefault();
      const status = form.querySelector('.status');
      status.textContent = 'Paging…';
      try {
        const body = { to: { roleId: r.id }, text: form.querySelector('textarea').value.trim(),
          priority: form.querySelector('select[name=priority]').value };
        const policy = form.querySelector('select[name=policy]');
        if (policy && policy.value) {
          body.escalationPolicyId = policy.value;
        }
        const page = await api('POST', '/api/v1/pages', body);
        window.location.hash = '#page/' + page.id;
      } catch (err) {
        status.textContent = problemText(err);
      }
    } } },
    h('label', { for: formId + '-text', text: 'What do you need?' }),
    h('textarea', { id: formId + '-text', rows: '2', maxlength: '4096', required: true }),
    h('div', { class: 'compose-options' },
      h('span', {}, h('label', { for: formId + '-priority', text: 'Priority' }),
        h('select', { id: formId + '-priority', name: 'priority' }, ['STAT', 'URGENT', 'ROUTINE'].map((p) => h('option', { value: p, text: p[0] + p.slice(1).toLowerCase() })))),
      policies.length > 1 ? h('span', {}, h('label', { for: formId + '-policy', text: 'Escalation' }),
        h('select', { id: formId + '-policy', name: 'policy' }, h('option', { value: '', text: 'The role\'s own' }),
          policies.map((p) => h('option', { value: p.id, text: p.name, selected: p.id === r.escalationPolicyId })))) : null),
    h('button', { type: 'submit', class: 'button danger', text: 'Send page' }), h('p', { class: 'status', role: 'status' }));
    return h('li', { class: 'role', 'data-role': r.name },
      h('div', { class: 'role-head' }, h('strong', { text: r.name }), now,
        h('button', { type: 'button', class: 'button', 'aria-controls': formId, text: 'Page ' + r.name, on: { click: () => {
          form.hidden = !form.hidden;
          if (!form.hidden) {
            form.querySelector('textarea').focus();
          }
        } } })), form);
  }

  let pageTimer = null;

  async function showPage(id) {
    state.view = { page: id };
    clearTimeout(pageTimer);
    let p;
    try {
      p = await api('GET', '/api/v1/pages/' + encodeURIComponent(id));
    } catch (e) {
      view('Page', h('p', { class: 'alert error', text: problemText(e) }));
      return;
    }
    if (!state.view || state.view.page !== id) {
      return;
    }
    const done = ['ACKNOWLEDGED', 'RESOLVED', 'FAILED'].includes(p.state);
    view('Your page',
      h('p', { class: 'back' }, h('a', { href: '#oncall', text: '← On call' })),
      h('p', { class: 'page-state state-' + p.state.toLowerCase(), id: 'page-state', role: 'status' },
        badge(p.priority), h('strong', { text: p.state }),
        p.state === 'ACKNOWLEDGED' ? ' by ' + (p.acknowledgedByName || nameOf(p.acknowledgedBy)) : '',
        !done ? ' — step ' + (p.step + 1) + ', escalating until someone acknowledges' : ''),
      h('h2', { text: 'Who has it' }),
      h('ul', { class: 'receipts' }, (p.recipients || []).map((r) => h('li', { class: 'receipt ' + r.state.toLowerCase() },
        h('span', { text: r.displayName || nameOf(r.userId) }), h('span', { class: 'state', text: r.state.toLowerCase() }),
        h('span', { class: 'time', text: time(r.at) })))),
      h('h2', { text: 'Timeline' }),
      h('ol', { class: 'timeline', id: 'timeline' }, (p.timeline || []).map((t) => h('li', {},
        h('span', { class: 'time', text: time(t.at) }), ' ', h('strong', { text: String(t.event || '').toLowerCase().replace(/_/g, ' ') }),
        t.displayName || t.userId ? ' ' + (t.displayName || nameOf(t.userId)) : '',
        t.names && !t.displayName ? ' ' + Object.values(t.names).join(', ') : '',
        t.channel ? ' (' + t.channel + ')' : ''))));
    if (!done) {
      // steps and pager fallback are not signalled to the sender's screen: look again every few seconds
      pageTimer = setTimeout(() => state.view && state.view.page === id && showPage(id), 4000);
    }
  }

  /* ---------- my devices: compliance and approving a newly enrolled one ---------- */

  async function showDevices() {
    state.view = { devices: true };
    let list;
    try {
      list = (await api('GET', '/api/v1/me/devices')).items;
    } catch (e) {
      view('My devices', h('p', { class: 'alert error', text: problemText(e) }));
      return;
    }
    view('My devices',
      h('p', { class: 'muted', text: 'Pages and messages reach a device of yours only when you have approved it as yours and it is allowed by the hospital\'s rules.' }),
      list.length ? h('ul', { class: 'devices', id: 'devices' }, list.map((d) => h('li', { class: 'device', 'data-device': d.id },
        h('strong', { text: (d.model || 'Device') + ' (' + String(d.platform).toLowerCase() + ')' }),
        h('span', { class: 'state ' + String(d.state).toLowerCase(), text: String(d.state).toLowerCase().replace(/_/g, ' ') }),
        h('span', { class: 'muted small', text: 'Enrolled ' + when(d.enrolledAt) + (d.lastSeenAt ? ', last seen ' + when(d.lastSeenAt) : '') }),
        d.boundToUser ? h('span', { class: 'ok', text: 'Yours: receives your pages' })
          : h('button', { type: 'button', class: 'button primary', text: 'Approve as mine', on: { click: async (e) => {
            try {
              await api('POST', '/api/v1/me/devices/' + encodeURIComponent(d.id) + '/approve');
              showDevices();
            } catch (err) {
              e.target.replaceWith(h('p', { class: 'alert error', text: problemText(err) }));
            }
          } } })))) : h('p', { class: 'empty', text: 'No device is assigned to you yet. IT sends you an enrollment link for a new phone.' }));
  }

  /* ---------- routes: ids only in the hash ---------- */

  function route() {
    clearTimeout(pageTimer);
    const hash = window.location.hash.slice(1);
    document.querySelectorAll('nav a').forEach((a) => a.removeAttribute('aria-current'));
    const nav = (id) => $(id) && $(id).setAttribute('aria-current', 'page');
    if (hash.startsWith('c/')) {
      nav('nav-inbox');
      showConversation(decodeURIComponent(hash.slice(2)));
    } else if (hash.startsWith('page/')) {
      nav('nav-oncall');
      showPage(decodeURIComponent(hash.slice(5)));
    } else if (hash === 'oncall') {
      nav('nav-oncall');
      showOnCall();
    } else if (hash === 'devices') {
      nav('nav-devices');
      showDevices();
    } else if (hash === 'new') {
      nav('nav-inbox');
      showNew();
    } else {
      nav('nav-inbox');
      showInbox();
    }
  }

  $('enable-alerts').addEventListener('click', async () => {
    try {
      audio = audio || new AudioContext();
      await audio.resume();
    } catch (e) {
      audio = null;
    }
    if ('Notification' in window && Notification.permission === 'default') {
      await Notification.requestPermission();
    }
    $('setup').hidden = true;
    subscribePush();
  });

  window.addEventListener('hashchange', route);

  (async () => {
    $('setup').hidden = notificationsDecided() && (typeof AudioContext === 'undefined');
    if (!(await renew())) {
      return;
    }
    route();
    listen();
    subscribePush(); // already allowed: keeps this browser's subscription with the person signed in now
    setInterval(renew, RENEW_EVERY_MS);
  })();
})();
