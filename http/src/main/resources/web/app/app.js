/*
 * What the server-rendered pages do through the REST API, with the session cookie, the CSRF token
 * of the page (<body data-csrf>) and the organization it shows (<body data-org>):
 *  - a button with data-method and data-path calls that operation (after data-confirm, if any) with
 *    its data-body-* attributes as the JSON body's fields, then reloads the page, removes its row
 *    (data-done="remove-row") or goes where the answer's url points (data-done="follow-url", Checkout);
 *  - a form with data-api-path sends its fields as JSON (checkboxes of one name become a list, a field
 *    marked data-list a comma-separated list) with data-api-method (POST when absent);
 * then the page reloads, goes on to data-then ({field}: the answer's), or, when the answer carries a secret shown once
 * (data-show-once names the field), shows it in the form's output until the person moves on. Errors show in the form's or the
 * page's alert.
 */
(function () {
  'use strict';
  var csrf = document.body.dataset.csrf;
  var org = document.body.dataset.org;

  /** The headers every change carries: the CSRF token, the organization acted in, and any more. */
  function headers(more) {
    var all = { 'X-CSRF-Token': csrf };
    if (org) all['Layercake-Organization'] = org;
    Object.keys(more || {}).forEach(function (name) { all[name] = more[name]; });
    return all;
  }

  /** An API answer's JSON, or an Error with the API's message. */
  function answer(response) {
    return response.json().catch(function () { return {}; }).then(function (json) {
      if (!response.ok) throw new Error((json.error && json.error.message) || ('HTTP ' + response.status));
      return json;
    });
  }

  function call(method, path, body) {
    var more = {};
    if (body) more['Content-Type'] = 'application/json';
    if (method === 'POST') more['Idempotency-Key'] = String(Date.now()) + '-' + Math.random().toString(36).slice(2);
    return fetch('/api/v1' + path, { method: method, credentials: 'same-origin', headers: headers(more),
      body: body ? JSON.stringify(body) : undefined }).then(answer);
  }

  // for the pages' own scripts (agent.js, channels.js, new-client.js), loaded after this one
  window.Layercake = { call: call, headers: headers, answer: answer };

  function alertIn(scope) {
    return (scope && scope.querySelector('[role=alert]')) || document.getElementById('page-error');
  }

  function fail(scope, error) {
    var box = alertIn(scope);
    box.textContent = error.message;
    box.hidden = false;
  }

  function bodyOf(button) {
    var body = null;
    Object.keys(button.dataset).forEach(function (key) {
      if (key.indexOf('body') !== 0 || key.length === 4) return;
      body = body || {};
      body[key.charAt(4).toLowerCase() + key.slice(5)] = button.dataset[key];
    });
    return body;
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-path]');
    if (!button) return;
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    button.disabled = true;
    call(button.dataset.method, button.dataset.path, bodyOf(button))
      .then(function (answer) {
        if (button.dataset.done === 'follow-url' && answer.url) {
          window.location.assign(answer.url);
          return;
        }
        // lists read from read models trail a write by a moment: a decided row goes at once instead of a reload showing it again
        if (button.dataset.done === 'remove-row') {
          button.closest('tr').remove();
        } else {
          window.location.reload();
        }
      })
      .catch(function (error) { button.disabled = false; fail(button.closest('section'), error); });
  });

  var signOut = document.getElementById('sign-out');
  if (signOut) {
    signOut.addEventListener('click', function () {
      fetch('/auth/sign-out', { method: 'POST', credentials: 'same-origin', headers: headers() })
        .then(function () { window.location.assign('/app/sign-in?signed-out'); });
    });
  }

  document.addEventListener('change', function (event) {
    if (event.target.matches('select[data-switch-org]')) {
      window.location.assign('/app?org=' + encodeURIComponent(event.target.value));
      return;
    }
    var select = event.target.closest('select[data-path]');
    if (!select) return;
    var body = {};
    body[select.name] = select.value;
    call(select.dataset.method, select.dataset.path, body)
      .then(function () { window.location.reload(); })
      .catch(function (error) { fail(select.closest('section'), error); });
  });

  document.addEventListener('submit', function (event) {
    var form = event.target.closest('form[data-api-path]');
    if (!form) return;
    event.preventDefault();
    var body = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      if (field.type === 'checkbox') {
        body[field.name] = body[field.name] || [];
        if (field.checked) body[field.name].push(field.value);
      } else if (field.hasAttribute('data-list')) {
        body[field.name] = field.value.split(',').map(function (item) { return item.trim(); }).filter(Boolean);
      } else if (field.value.trim() !== '') {
        body[field.name] = field.value.trim();
      }
    });
    var output = form.querySelector('output');
    call(form.dataset.apiMethod || 'POST', form.dataset.apiPath, body)
      .then(function (answer) {
        if (form.dataset.showOnce && output) {
          var secret = form.dataset.showOnce.split('.').reduce(function (value, key) { return value && value[key]; }, answer);
          output.textContent = 'Copy it now, it is shown only once: ' + secret;
          output.hidden = false;
          form.reset();
        } else if (form.dataset.then) {
          // {field} in data-then is the answer's field, such as the id just created
          window.location.assign(form.dataset.then.replace(/\{(\w+)\}/g, function (all, field) {
            return encodeURIComponent(answer[field]);
          }));
        } else {
          window.location.reload();
        }
      })
      .catch(function (error) { fail(form, error); });
  });

  // One live stream per tab (browsers allow a handful of connections per host, and a tab may stay open for hours):
  // the bell's count, unread direct messages, and whatever the page adds (the inbox its list and open conversation).
  var liveQuery = [];
  var listeners = [];
  window.Layercake.liveQuery = function (parameters) { liveQuery = liveQuery.concat(parameters); };
  window.Layercake.listen = function (event, handler) { listeners.push([event, handler]); };

  function badge(id, label) {
    var count = document.getElementById(id);
    return function (event) {
      var unread = JSON.parse(event.data).unread;
      count.textContent = unread;
      count.hidden = unread === 0;
      count.parentElement.setAttribute('aria-label', unread === 0 ? label : label + ', ' + unread + ' unread');
    };
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (!window.EventSource || !document.getElementById('bell-count')) return;
    if (org) liveQuery.push('org=' + encodeURIComponent(org));
    var live = new EventSource('/app/live' + (liveQuery.length ? '?' + liveQuery.join('&') : ''));
    live.addEventListener('open', function () { document.body.dataset.live = 'connected'; });
    live.addEventListener('notifications', badge('bell-count', 'Notifications'));
    if (document.getElementById('messages-count')) live.addEventListener('dms', badge('messages-count', 'Messages'));
    listeners.forEach(function (listener) { live.addEventListener(listener[0], listener[1]); });
    // close it as the page goes: a reload or a link otherwise waits for the browser to give the connection up
    window.addEventListener('pagehide', function () { live.close(); });
  });
})();
