/*
 * Layercake webchat widget. Embed with one tag:
 *   <script src="https://your-layercake/widget.js" data-agent-id="your-agent" async></script>
 * Plain JavaScript, no dependencies. Styles live in a Shadow DOM, so the page's CSS and ours never
 * meet. The visitor's session token is kept in localStorage for 24 hours after the last message.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || !script.getAttribute('data-agent-id')) {
    if (window.console) console.error('layercake widget: add data-agent-id to the script tag');
    return;
  }
  var agentId = script.getAttribute('data-agent-id');
  var api = new URL(script.src, location.href).origin + '/api/v1/webchat';
  var storeKey = 'layercake-webchat:' + agentId;
  var SESSION_TTL_MS = 24 * 60 * 60 * 1000;
  var REPLY_WAIT_MS = 60 * 1000;
  var RETRY_MS = 3000;
  var HISTORY = 50;

  var state = {
    config: null,
    token: null,
    events: null,
    shown: {},
    offline: false,
    unavailable: false,
    waitingUntil: 0,
    typingTimer: null,
    retryTimer: null,
    countdownTimer: null,
    starting: null,
    transcript: []
  };

  // ---- session ----

  // The session is kept with the last messages shown, so a reload or a second tab shows the
  // conversation at once; the server's history then fills in what this browser did not see.
  function loadSession() {
    try {
      var saved = JSON.parse(localStorage.getItem(storeKey) || 'null');
      if (saved && saved.token && Date.now() - saved.lastUsed < SESSION_TTL_MS) {
        return { token: saved.token, messages: saved.messages || [] };
      }
      localStorage.removeItem(storeKey);
    } catch (ignored) {
      // storage blocked (private mode, sandboxed frame): the session lives as long as the page
    }
    return { token: null, messages: [] };
  }

  function saveSession() {
    if (!state.token) return;
    try {
      localStorage.setItem(storeKey, JSON.stringify({ token: state.token, lastUsed: Date.now(), messages: state.transcript }));
    } catch (ignored) {
      // see loadSession
    }
  }

  function saveToken(token) {
    state.token = token;
    saveSession();
  }

  function forgetToken() {
    state.token = null;
    state.transcript = [];
    closeEvents();
    try {
      localStorage.removeItem(storeKey);
    } catch (ignored) {
      // see loadSession
    }
  }

  // ---- the page ----

  var host = document.createElement('div');
  host.setAttribute('data-layercake-webchat', agentId);
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<style>' +
    ':host{all:initial}' +
    '*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}' +
    '.frame{position:fixed;bottom:20px;z-index:2147483000;display:flex;flex-direction:column;gap:12px}' +
    '.frame.right{right:20px;align-items:flex-end}.frame.left{left:20px;align-items:flex-start}' +
    '.bubble{width:56px;height:56px;border-radius:50%;border:none;cursor:pointer;color:#fff;background:var(--brand);' +
    'box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;padding:0}' +
    '.bubble:focus-visible,button:focus-visible,textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}' +
    '.panel{width:340px;max-width:calc(100vw - 40px);height:480px;max-height:calc(100vh - 110px);background:#fff;color:#111;' +
    'border-radius:14px;box-shadow:0 10px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;font-size:14px}' +
    '.panel[hidden]{display:none}' +
    'header{background:var(--brand);color:#fff;padding:12px 14px;display:flex;justify-content:space-between;align-items:center}' +
    'header h2{margin:0;font-size:15px;font-weight:600}' +
    'header button{background:none;border:none;color:#fff;font-size:20px;cursor:pointer;line-height:1}' +
    '.status{padding:8px 12px;font-size:13px;background:#fef3c7;color:#78350f;border-bottom:1px solid #fde68a}' +
    '.status.error{background:#fee2e2;color:#7f1d1d;border-color:#fecaca}' +
    '.status[hidden]{display:none}' +
    '.messages{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f8fafc}' +
    '.message{max-width:80%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}' +
    '.message.agent,.message.team{align-self:flex-start;background:#fff;border:1px solid #e2e8f0}' +
    '.message.team{border-color:var(--brand)}' +
    '.message.visitor{align-self:flex-end;background:var(--brand);color:#fff}' +
    '.message .who{display:block;font-size:11px;opacity:.7;margin-bottom:2px}' +
    '.typing{padding:4px 14px;font-size:12px;color:#475569;background:#f8fafc}' +
    '.typing[hidden]{display:none}' +
    'form{display:flex;gap:8px;padding:10px;border-top:1px solid #e2e8f0;background:#fff}' +
    'textarea{flex:1;resize:none;height:40px;padding:9px;border:1px solid #cbd5e1;border-radius:8px;font-size:14px}' +
    'form button{background:var(--brand);color:#fff;border:none;border-radius:8px;padding:0 14px;cursor:pointer;font-size:14px}' +
    'form button:disabled{opacity:.5;cursor:not-allowed}' +
    'footer{text-align:center;font-size:11px;color:#64748b;padding:4px 0 8px;background:#fff}' +
    'footer a{color:inherit}' +
    '</style>' +
    '<div class="frame right">' +
    '  <section class="panel" role="dialog" aria-label="Chat" hidden>' +
    '    <header><h2 class="title">Chat</h2><button type="button" class="close" aria-label="Close chat">&times;</button></header>' +
    '    <div class="status" role="status" aria-live="polite" hidden></div>' +
    '    <div class="messages" role="log" aria-live="polite" tabindex="0"></div>' +
    '    <div class="typing" aria-live="polite" hidden>typing…</div>' +
    '    <form><textarea aria-label="Your message" placeholder="Write a message…" maxlength="4000"></textarea>' +
    '      <button type="submit">Send</button></form>' +
    '    <footer>Powered by <a href="https://layercake.dev" target="_blank" rel="noopener">Layercake</a></footer>' +
    '  </section>' +
    '  <button type="button" class="bubble" aria-label="Open chat" aria-expanded="false">' +
    '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false"><path fill="currentColor" ' +
    'd="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg></button>' +
    '</div>';

  var frame = root.querySelector('.frame');
  var panel = root.querySelector('.panel');
  var bubble = root.querySelector('.bubble');
  var title = root.querySelector('.title');
  var statusLine = root.querySelector('.status');
  var list = root.querySelector('.messages');
  var typing = root.querySelector('.typing');
  var form = root.querySelector('form');
  var input = root.querySelector('textarea');
  var sendButton = root.querySelector('form button');

  function open() {
    panel.hidden = false;
    bubble.setAttribute('aria-expanded', 'true');
    bubble.setAttribute('aria-label', 'Close chat');
    input.focus();
    list.scrollTop = list.scrollHeight;
  }

  function close() {
    panel.hidden = true;
    bubble.setAttribute('aria-expanded', 'false');
    bubble.setAttribute('aria-label', 'Open chat');
    bubble.focus();
  }

  bubble.addEventListener('click', function () {
    if (panel.hidden) open(); else close();
  });
  root.querySelector('.close').addEventListener('click', close);
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') close();
  });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    submit();
  });

  // a reply the agent is still writing: one growing bubble, replaced by the reply once it is recorded
  function grow(piece) {
    if (!state.growing || state.growing.getAttribute('data-stream') !== piece.id) {
      dropGrowing();
      var item = document.createElement('div');
      item.className = 'message agent writing';
      item.setAttribute('data-stream', piece.id);
      item.setAttribute('aria-busy', 'true');
      list.appendChild(item);
      state.growing = item;
    }
    // a stream opened mid-reply first gets the text so far, whole
    state.growing.textContent = piece.sofar ? piece.text : state.growing.textContent + piece.text;
    list.scrollTop = list.scrollHeight;
  }

  function dropGrowing() {
    if (state.growing) state.growing.remove();
    state.growing = null;
  }

  function show(message) {
    if (message.from === 'agent') dropGrowing();
    if (message.id && state.shown[message.id]) return;
    if (message.id) {
      state.shown[message.id] = true;
      state.transcript = state.transcript.concat([{ id: message.id, from: message.from, text: message.text }]).slice(-HISTORY);
      saveSession();
    }
    var item = document.createElement('div');
    item.className = 'message ' + message.from;
    if (message.id) item.setAttribute('data-id', message.id);
    if (message.from === 'team') {
      var who = document.createElement('span');
      who.className = 'who';
      who.textContent = 'Team';
      item.appendChild(who);
    }
    item.appendChild(document.createTextNode(message.text));
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  function setStatus(text, isError) {
    statusLine.textContent = text || '';
    statusLine.className = 'status' + (isError ? ' error' : '');
    statusLine.hidden = !text;
    statusLine.setAttribute('data-state', text ? (isError ? 'error' : 'notice') : 'none');
  }

  function setTyping(on) {
    clearTimeout(state.typingTimer);
    typing.hidden = !on;
    if (on) state.typingTimer = setTimeout(function () { typing.hidden = true; }, REPLY_WAIT_MS);
  }

  function refreshControls() {
    var waiting = Date.now() < state.waitingUntil;
    sendButton.disabled = state.unavailable || state.offline || waiting;
    input.disabled = state.unavailable;
  }

  // ---- states: offline, rate limited, unavailable ----

  function goOffline() {
    if (!state.offline) {
      state.offline = true;
      setStatus('You are offline. Reconnecting…', true);
      frame.setAttribute('data-connection', 'offline');
      refreshControls();
    }
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(reconnect, RETRY_MS);
  }

  function backOnline() {
    clearTimeout(state.retryTimer);
    if (!state.offline) return;
    state.offline = false;
    frame.setAttribute('data-connection', 'online');
    setStatus('');
    refreshControls();
    restore();
  }

  function reconnect() {
    fetch(api + '/config/' + encodeURIComponent(agentId), { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        backOnline();
        connect();
      })
      .catch(goOffline);
  }

  function rateLimited(seconds) {
    state.waitingUntil = Date.now() + seconds * 1000;
    clearInterval(state.countdownTimer);
    function tick() {
      var left = Math.ceil((state.waitingUntil - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(state.countdownTimer);
        setStatus('');
        frame.removeAttribute('data-limited');
      } else {
        setStatus('You are sending messages too fast. Try again in ' + left + ' s.', false);
        frame.setAttribute('data-limited', String(left));
      }
      refreshControls();
    }
    tick();
    state.countdownTimer = setInterval(tick, 1000);
  }

  function unavailable(text) {
    state.unavailable = true;
    setStatus(text || 'This chat is unavailable right now. Please try again later.', true);
    frame.setAttribute('data-connection', 'unavailable');
    refreshControls();
  }

  window.addEventListener('offline', goOffline);
  window.addEventListener('online', reconnect);

  // ---- talking to the server ----

  function restore() {
    if (!state.token) return Promise.resolve();
    return fetch(api + '/history?sessionToken=' + encodeURIComponent(state.token), { cache: 'no-store' })
      .then(function (response) {
        if (response.status === 401) {
          forgetToken();
          return null;
        }
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (body) {
        if (body) body.messages.forEach(show);
      })
      .catch(goOffline);
  }

  function closeEvents() {
    if (state.events) state.events.close();
    state.events = null;
  }

  function connect() {
    if (!state.token || state.events) return;
    var events = new EventSource(api + '/events?sessionToken=' + encodeURIComponent(state.token));
    state.events = events;
    events.addEventListener('open', backOnline);
    events.addEventListener('delta', function (event) {
      setTyping(false);
      grow(JSON.parse(event.data));
    });
    events.addEventListener('message', function (event) {
      // the server's keep-alive arrives as a message with no data
      if (!event.data) return;
      var reply = JSON.parse(event.data);
      setTyping(false);
      show({ id: reply.id, from: 'agent', text: reply.text });
    });
    events.addEventListener('error', function () {
      if (events.readyState === EventSource.CLOSED) {
        // refused for good (an expired session): start over on the next message
        closeEvents();
        reconnect();
      } else {
        goOffline();
      }
    });
  }

  function newMessageId() {
    if (window.crypto && crypto.randomUUID) return 'wc-' + crypto.randomUUID();
    return 'wc-' + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function submit() {
    var text = input.value.trim();
    if (!text || sendButton.disabled) return;
    input.value = '';
    var messageId = newMessageId();
    show({ id: messageId, from: 'visitor', text: text });
    setTyping(true);
    post(text, messageId, true);
  }

  function unsent(text, messageId) {
    var item = list.querySelector('[data-id="' + messageId + '"]');
    if (item) item.remove();
    delete state.shown[messageId];
    state.transcript = state.transcript.filter(function (message) { return message.id !== messageId; });
    saveSession();
    if (!input.value) input.value = text;
    setTyping(false);
  }

  /**
   * Sends one message. Until the first answer brings the session token, later messages wait for
   * it: otherwise each would start a session of its own.
   */
  function post(text, messageId, mayRestart) {
    if (!state.token && state.starting) {
      state.starting.then(function () { post(text, messageId, mayRestart); });
      return;
    }
    var sending = send(text, messageId, mayRestart);
    if (!state.token) {
      state.starting = sending.then(function () { state.starting = null; });
    }
  }

  function send(text, messageId, mayRestart) {
    var body = { agentId: agentId, text: text, messageId: messageId };
    if (state.token) body.sessionToken = state.token;
    return fetch(api + '/message?agentId=' + encodeURIComponent(agentId), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok) {
            saveToken(answer.sessionToken);
            connect();
            (answer.replies || []).forEach(function (reply) {
              show({ id: reply.id, from: 'agent', text: reply.text });
            });
            if (answer.status !== 'accepted') setTyping(false);
            return;
          }
          var code = answer.error && answer.error.code;
          if (response.status === 401 && mayRestart) {
            forgetToken();
            return send(text, messageId, false);
          } else if (response.status === 429) {
            unsent(text, messageId);
            rateLimited(Number(response.headers.get('Retry-After')) || 10);
          } else if (code === 'chat_disabled' || code === 'agent_not_found' || response.status === 403) {
            unsent(text, messageId);
            unavailable();
          } else {
            unsent(text, messageId);
            setStatus((answer.error && answer.error.message) || 'Your message could not be sent. Please try again.', true);
          }
        });
      })
      .catch(function () {
        unsent(text, messageId);
        goOffline();
      });
  }

  function start(config) {
    state.config = config;
    frame.className = 'frame ' + (config.position === 'bottom-left' ? 'left' : 'right');
    host.style.setProperty('--brand', config.brandColor || '#2563eb');
    frame.style.setProperty('--brand', config.brandColor || '#2563eb');
    title.textContent = config.name;
    panel.setAttribute('aria-label', 'Chat with ' + config.name);
    typing.textContent = config.name + ' is typing…';
    show({ from: 'agent', text: config.greeting });
    frame.setAttribute('data-connection', 'online');
    if (!config.enabled) unavailable();
    refreshControls();
    var session = loadSession();
    state.token = session.token;
    session.messages.forEach(show);
    restore().then(connect);
    frame.setAttribute('data-ready', 'true');
  }

  function loadConfig() {
    fetch(api + '/config/' + encodeURIComponent(agentId), { cache: 'no-store' })
      .then(function (response) {
        if (response.status === 404 || response.status === 403) {
          unavailable();
          return null;
        }
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (config) {
        if (config) {
          state.offline = false;
          setStatus('');
          start(config);
        }
      })
      .catch(function () {
        // not reachable yet: say so, and keep trying until the configuration loads
        state.offline = true;
        frame.setAttribute('data-connection', 'offline');
        setStatus('You are offline. Reconnecting…', true);
        refreshControls();
        setTimeout(loadConfig, RETRY_MS);
      });
  }

  function boot() {
    document.body.appendChild(host);
    loadConfig();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
