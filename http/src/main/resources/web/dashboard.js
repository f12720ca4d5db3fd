/*
 * The agency dashboard: plain JavaScript on the REST API (/api/v1) as the person signed in by email
 * link (the HttpOnly session cookie; changes carry the CSRF token from /me, and the organization
 * chosen in the switcher goes in Layercake-Organization). Lists are polled with ETags, so an
 * unchanged list costs a 304.
 */
(function () {
  'use strict';

  var API = '/api/v1';
  var ORG_STORE = 'layercake-dashboard-org';
  var POLL_MS = 2500;
  var PAGE = 100;

  var state = {
    me: null,
    // a link from the clients page names the client to open (?org=)
    orgId: new URLSearchParams(window.location.search).get('org') || sessionStorage.getItem(ORG_STORE),
    listEtag: null,
    conversations: [],
    selected: null,
    thread: null,
    approvals: [],
    pollTimer: null
  };

  function $(id) { return document.getElementById(id); }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : '';
  }

  // ---- errors: always shown, never a blank page ----

  function showError(message) {
    $('error-text').textContent = message;
    $('error').hidden = false;
  }

  function clearError() {
    $('error').hidden = true;
  }

  $('error-dismiss').addEventListener('click', clearError);
  window.addEventListener('error', function (event) { showError('Something went wrong in this page: ' + event.message); });
  window.addEventListener('unhandledrejection', function (event) {
    showError((event.reason && event.reason.message) || 'A request failed.');
  });

  // ---- the API ----

  function ApiError(status, message) {
    this.status = status;
    this.message = message;
  }

  function call(method, path, body, etag) {
    var headers = {};
    if (state.orgId) headers['Layercake-Organization'] = state.orgId;
    if (method !== 'GET' && state.me && state.me.csrfToken) headers['X-CSRF-Token'] = state.me.csrfToken;
    if (body) headers['Content-Type'] = 'application/json';
    if (etag) headers['If-None-Match'] = etag;
    return fetch(API + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, cache: 'no-store',
      credentials: 'same-origin' })
      .catch(function () {
        throw new ApiError(0, 'The server cannot be reached. Retrying…');
      })
      .then(function (response) {
        if (response.status === 304) return { notModified: true };
        return response.json().catch(function () { return {}; }).then(function (json) {
          if (!response.ok) {
            if (response.status === 401) signedOut(state.me ? 'You are signed out. Sign in again.' : null);
            throw new ApiError(response.status, (json.error && json.error.message) || ('HTTP ' + response.status));
          }
          return { body: json, etag: response.headers.get('ETag') };
        });
      });
  }

  function reportFailure(error) {
    showError(error && error.message ? error.message : String(error));
  }

  // ---- signing in and out ----

  function start() {
    return call('GET', '/me').then(function (answer) {
      state.me = answer.body;
      var organizations = state.me.organizations;
      if (!state.orgId || !organizations.some(function (org) { return org.orgId === state.orgId; })) {
        state.orgId = state.me.orgId;
      }
      renderOrganizations(organizations);
      $('who').textContent = state.me.user.name + ' · ' + roleOf(state.orgId);
      $('who').hidden = false;
      $('login').hidden = true;
      $('app').hidden = false;
      $('sign-out').hidden = false;
      clearError();
      $('reply-form').hidden = !may('conversations:write');
      $('usage-section').hidden = !may('credits:read');
      $('credits').hidden = true;
      loadAgents();
      poll();
    }, function (error) {
      // an organization remembered from before that this person may no longer act in
      if (error.status === 403 && state.orgId) {
        state.orgId = null;
        sessionStorage.removeItem(ORG_STORE);
        return start();
      }
      throw error;
    });
  }

  /** What the signed-in person may do where they act now: the scopes of their role. */
  function may(scope) {
    return !!state.me && state.me.scopes.indexOf(scope) >= 0;
  }

  function roleOf(orgId) {
    var found = state.me.organizations.filter(function (org) { return org.orgId === orgId; })[0];
    return found ? found.role.replace('_', ' ') : '';
  }

  function renderOrganizations(organizations) {
    var select = $('organization');
    select.textContent = '';
    organizations.forEach(function (org) {
      var option = element('option', null, (org.member ? '' : '\u2514 ') + org.name);
      option.value = org.orgId;
      option.selected = org.orgId === state.orgId;
      select.appendChild(option);
    });
    $('org-switch').hidden = organizations.length < 2;
  }

  $('organization').addEventListener('change', function () {
    state.orgId = $('organization').value;
    sessionStorage.setItem(ORG_STORE, state.orgId);
    state.selected = null;
    state.thread = null;
    state.listEtag = null;
    $('who').textContent = state.me.user.name + ' · ' + roleOf(state.orgId);
    start().catch(reportFailure);
  });

  function signedOut(reason) {
    state.me = null;
    state.selected = null;
    state.thread = null;
    state.listEtag = null;
    clearTimeout(state.pollTimer);
    $('app').hidden = true;
    $('sign-out').hidden = true;
    $('who').hidden = true;
    $('org-switch').hidden = true;
    $('credits').hidden = true;
    $('login').hidden = false;
    if (reason) showError(reason);
  }

  $('login-form').addEventListener('submit', function (event) {
    event.preventDefault();
    fetch('/auth/email-link', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: $('email').value.trim() }) })
      .then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) throw new ApiError(response.status, (json.error && json.error.message) || ('HTTP ' + response.status));
          $('link-sent').textContent = json.message;
          $('link-sent').hidden = false;
        });
      })
      .catch(reportFailure);
  });
  $('sign-out').addEventListener('click', function () {
    fetch('/auth/sign-out', { method: 'POST', credentials: 'same-origin',
      headers: { 'X-CSRF-Token': state.me ? state.me.csrfToken : '' } })
      .catch(function () { return null; })
      .then(function () { signedOut(); });
  });

  // ---- polling ----

  function poll() {
    clearTimeout(state.pollTimer);
    Promise.all([loadConversations(), loadCredits(), loadApprovals(), loadSelected()])
      .then(function () {
        if ($('error-text').textContent.indexOf('cannot be reached') >= 0) clearError();
      })
      .catch(reportFailure)
      .then(function () {
        if (state.me) state.pollTimer = setTimeout(poll, POLL_MS);
      });
  }

  function query() {
    var parts = [];
    [['status', 'filter-status'], ['channel', 'filter-channel'], ['agentId', 'filter-agent']].forEach(function (filter) {
      var value = $(filter[1]).value;
      if (value) parts.push(filter[0] + '=' + encodeURIComponent(value));
    });
    return parts.length ? '?' + parts.join('&') : '';
  }

  function loadConversations() {
    return call('GET', '/conversations' + query(), null, state.listEtag).then(function (answer) {
      if (answer.notModified) return;
      state.listEtag = answer.etag;
      state.conversations = answer.body.conversations;
      renderConversations();
    });
  }

  ['filter-status', 'filter-channel', 'filter-agent'].forEach(function (id) {
    $(id).addEventListener('change', function () {
      state.listEtag = null;
      loadConversations().catch(reportFailure);
    });
  });

  function loadAgents() {
    return call('GET', '/agents').then(function (answer) {
      var select = $('filter-agent');
      while (select.options.length > 1) select.remove(1);
      answer.body.agents.forEach(function (agent) {
        var option = element('option', null, agent.name + ' (' + agent.agentId + ')');
        option.value = agent.agentId;
        select.appendChild(option);
      });
    }).catch(reportFailure);
  }

  function loadCredits() {
    var children = call('GET', '/organizations/children').then(function (answer) { renderChildren(answer.body.organizations); });
    if (!may('credits:read')) return children;
    return Promise.all([call('GET', '/credits'), call('GET', '/credits/usage?groupBy=agent'), children])
      .then(function (answers) {
        renderCredits(answers[0].body);
        renderUsage(answers[1].body.usage);
      });
  }

  function loadApprovals() {
    return call('GET', '/approvals').then(function (answer) {
      state.approvals = answer.body.approvals;
      renderApprovals();
    });
  }

  function loadSelected() {
    if (!state.selected) return Promise.resolve();
    var sessionId = state.selected;
    var path = '/conversations/' + encodeURIComponent(sessionId);
    var timelineOpen = $('timeline-box').open;
    return Promise.all([
      call('GET', path),
      call('GET', path + '/messages?limit=' + PAGE),
      timelineOpen ? call('GET', path + '/timeline') : Promise.resolve(null)
    ]).then(function (answers) {
      if (state.selected !== sessionId) return;
      renderDetail(answers[0].body, keepLatest(sessionId, answers[1].body));
      if (answers[2]) renderTimeline(answers[2].body.steps);
    });
  }

  /*
   * The messages shown: the latest page (polled, so new messages and delivery statuses appear) plus
   * the older pages the user asked for, kept by sequence. If more than a page arrived between two
   * polls, the older pages no longer join up with the latest one and are dropped.
   */
  function keepLatest(sessionId, page) {
    var thread = state.thread;
    var first = page.messages.length ? page.messages[0].sequence : null;
    if (!thread || thread.sessionId !== sessionId || (first !== null && thread.newest !== null && first > thread.newest)) {
      thread = state.thread = { sessionId: sessionId, bySequence: {}, newest: null, before: page.nextBefore, hasMore: page.hasMore };
    }
    addMessages(thread, page.messages);
    return shownMessages(thread);
  }

  function addMessages(thread, messages) {
    messages.forEach(function (message) {
      thread.bySequence[message.sequence] = message;
      if (thread.newest === null || message.sequence > thread.newest) thread.newest = message.sequence;
    });
  }

  function shownMessages(thread) {
    return Object.keys(thread.bySequence).map(Number).sort(function (a, b) { return a - b; })
      .map(function (sequence) { return thread.bySequence[sequence]; });
  }

  function loadOlder() {
    var thread = state.thread;
    if (!thread || !thread.hasMore) return;
    var button = $('load-older');
    button.disabled = true;
    call('GET', '/conversations/' + encodeURIComponent(thread.sessionId) + '/messages?limit=' + PAGE + '&before=' + thread.before)
      .then(function (answer) {
        if (state.thread !== thread) return;
        addMessages(thread, answer.body.messages);
        thread.before = answer.body.nextBefore;
        thread.hasMore = answer.body.hasMore;
        renderMessages(shownMessages(thread));
      })
      .catch(reportFailure)
      .then(function () { button.disabled = false; });
  }

  // ---- rendering ----

  function renderCredits(credits) {
    var box = $('credits');
    box.hidden = false;
    box.textContent = 'Credits available: ' + credits.available + (credits.reserved ? ' (' + credits.reserved + ' reserved)' : '');
    box.setAttribute('data-available', String(credits.available));
    if (credits.exhausted || credits.lowCredits) {
      box.appendChild(element('span', 'low', credits.exhausted ? 'Out of credits: agents cannot answer.' : 'Credits are running low.'));
    }
  }

  function renderUsage(usage) {
    var body = $('usage').querySelector('tbody');
    body.textContent = '';
    usage.forEach(function (row) {
      var tr = element('tr');
      tr.appendChild(element('td', null, row.agentId));
      tr.appendChild(element('td', null, row.turns));
      tr.appendChild(element('td', null, row.credits));
      body.appendChild(tr);
    });
    if (!usage.length) {
      var empty = element('tr');
      empty.appendChild(element('td', 'empty', 'No usage yet.'));
      body.appendChild(empty);
    }
  }

  function renderChildren(children) {
    var list = $('children');
    list.textContent = '';
    children.forEach(function (child) {
      list.appendChild(element('li', null, child.name + ' (' + child.id + '): ' + child.conversations + ' conversations, '
        + child.creditsUsedThisMonth + ' credits this month'));
    });
    if (!children.length) list.appendChild(element('li', 'empty', 'None.'));
  }

  function renderConversations() {
    var list = $('conversations');
    list.textContent = '';
    $('no-conversations').hidden = state.conversations.length > 0;
    state.conversations.forEach(function (conversation) {
      var item = element('li');
      item.tabIndex = 0;
      item.setAttribute('data-session-id', conversation.sessionId);
      if (conversation.sessionId === state.selected) item.className = 'selected';
      item.appendChild(element('div', 'who', conversation.contact));
      var badges = element('div');
      badges.appendChild(element('span', 'badge ' + conversation.status, conversation.status.replace('_', ' ')));
      badges.appendChild(element('span', 'badge', conversation.channel));
      if (conversation.owner !== 'agent') badges.appendChild(element('span', 'badge people', 'with ' + conversation.owner));
      if (conversation.optedOut) badges.appendChild(element('span', 'badge opted-out', 'opted out'));
      item.appendChild(badges);
      item.appendChild(element('div', 'meta', conversation.agentId + ' · ' + conversation.messageCount
        + (conversation.messageCount === 1 ? ' message · ' : ' messages · ')
        + when(conversation.lastMessageAt)));
      item.addEventListener('click', function () { select(conversation.sessionId); });
      item.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          select(conversation.sessionId);
        }
      });
      list.appendChild(item);
    });
  }

  function select(sessionId) {
    state.selected = sessionId;
    $('timeline').textContent = '';
    renderConversations();
    $('no-selection').hidden = true;
    $('detail').hidden = false;
    loadSelected().catch(reportFailure);
  }

  function renderDetail(detail, messages) {
    var conversation = detail.conversation;
    $('detail').setAttribute('data-session-id', conversation.sessionId);
    $('detail').setAttribute('data-owner', detail.owner);
    $('detail').setAttribute('data-status', detail.status);
    $('detail-title').textContent = conversation.contact + ' on ' + conversation.channel;
    $('detail-meta').textContent = 'Agent ' + conversation.agentId + ' · ' + detail.status.replace('_', ' ') + ' · owner: '
      + detail.owner + ' · ' + detail.creditsUsed + ' credits used' + (detail.turnInProgress ? ' · turn ' + detail.turnInProgress
      + ' in progress' : '') + (detail.optedOut ? ' · opted out (texted STOP): nothing can be sent' : '');
    $('hand-back').disabled = detail.owner === 'agent' || detail.status === 'closed';
    $('close-conversation').hidden = detail.status === 'closed';
    $('reopen-conversation').hidden = detail.status !== 'closed';

    renderMessages(messages);

    var box = $('detail-approvals');
    box.textContent = '';
    state.approvals.filter(function (approval) { return approval.sessionId === conversation.sessionId; })
      .forEach(function (approval) { box.appendChild(approvalCard(approval)); });
  }

  function renderMessages(messages) {
    var list = $('messages');
    list.textContent = '';
    messages.forEach(function (message) {
      var item = element('li', message.direction + (message.kind === 'human' ? ' human' : ''));
      item.setAttribute('data-message-id', message.messageId);
      item.appendChild(element('strong', null, message.author + ': '));
      item.appendChild(document.createTextNode(message.text));
      if (message.direction === 'outbound') {
        item.appendChild(element('span', 'status', (message.deliveryStatus || 'queued') + (message.failure ? ': ' + message.failure : '')));
      }
      list.appendChild(item);
    });
    $('load-older').hidden = !(state.thread && state.thread.hasMore);
  }

  function renderTimeline(steps) {
    var list = $('timeline');
    list.textContent = '';
    steps.forEach(function (step) {
      list.appendChild(element('li', null, when(step.at) + ' ' + step.summary));
    });
  }

  function approvalCard(approval) {
    var card = element('div', 'approval');
    card.setAttribute('data-approval-id', approval.approvalId);
    card.appendChild(element('div', null, approval.kind === 'reply' ? 'Draft reply: ' + approval.draft
      : 'Tool ' + approval.toolName + ' ' + approval.arguments));
    card.appendChild(element('div', 'meta', 'expires ' + when(approval.expiresAt)));
    var approve = element('button', null, 'Approve');
    var reject = element('button', 'secondary', 'Reject');
    approve.addEventListener('click', function () { decide(approval.approvalId, 'approve'); });
    reject.addEventListener('click', function () { decide(approval.approvalId, 'reject'); });
    card.appendChild(approve);
    card.appendChild(reject);
    return card;
  }

  function renderApprovals() {
    var list = $('approvals');
    list.textContent = '';
    state.approvals.forEach(function (approval) {
      var item = element('li');
      item.appendChild(approvalCard(approval));
      list.appendChild(item);
    });
    if (!state.approvals.length) list.appendChild(element('li', 'empty', 'None.'));
  }

  // ---- actions ----

  function decide(approvalId, decision) {
    call('POST', '/approvals/' + encodeURIComponent(approvalId) + '/' + decision, {}).then(poll).catch(reportFailure);
  }

  function change(action) {
    call('PATCH', '/conversations/' + encodeURIComponent(state.selected), { action: action })
      .then(function () {
        state.listEtag = null;
        poll();
      })
      .catch(reportFailure);
  }

  $('load-older').addEventListener('click', loadOlder);
  $('hand-back').addEventListener('click', function () { change('hand_back'); });
  $('close-conversation').addEventListener('click', function () { change('close'); });
  $('reopen-conversation').addEventListener('click', function () { change('reopen'); });
  $('timeline-box').addEventListener('toggle', function () {
    if ($('timeline-box').open) loadSelected().catch(reportFailure);
  });

  $('reply-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('reply-text').value.trim();
    if (!text) return;
    call('POST', '/conversations/' + encodeURIComponent(state.selected) + '/messages', { text: text })
      .then(function () {
        $('reply-text').value = '';
        state.listEtag = null;
        poll();
      })
      .catch(reportFailure);
  });

  // ---- start ----

  start().catch(function (error) {
    signedOut();
    if (!error || error.status !== 401) reportFailure(error);
  });
})();
