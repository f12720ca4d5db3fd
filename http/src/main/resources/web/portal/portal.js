/*
 * A client's portal: asks for an emailed sign-in link, signs out back to the portal's sign-in page,
 * opens another client's portal from the switcher, saves the opening hours (PUT /availability, built
 * from the form's lines), makes a calendar feed address, chooses the hand-off contacts and the person's own
 * notification channels, and keeps the conversations live. Other changes go through app.js's API forms.
 */
(function () {
  'use strict';
  var base = document.body.dataset.base;

  var form = document.getElementById('portal-sign-in');
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var sent = document.getElementById('link-sent');
      var error = document.getElementById('page-error');
      error.hidden = true;
      fetch(form.dataset.action, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: form.elements.email.value.trim() }) })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (json) {
            if (!response.ok) throw new Error((json.error && json.error.message) || ('HTTP ' + response.status));
            sent.textContent = json.message;
            sent.hidden = false;
          });
        })
        .catch(function (failure) {
          error.textContent = failure.message;
          error.hidden = false;
        });
    });
  }

  var signOut = document.getElementById('portal-sign-out');
  if (signOut) {
    signOut.addEventListener('click', function () {
      fetch('/auth/sign-out', { method: 'POST', credentials: 'same-origin',
        headers: { 'X-CSRF-Token': document.body.dataset.csrf } })
        .then(function () { window.location.assign(base + '/sign-in'); });
    });
  }

  function list(text) {
    return text.split(',').map(function (part) { return part.trim(); }).filter(function (part) { return part; });
  }

  function services(text) {
    var all = {};
    text.split('\n').forEach(function (line) {
      var at = line.lastIndexOf('=');
      if (at > 0) all[line.slice(0, at).trim()] = Number(line.slice(at + 1).trim());
    });
    return all;
  }

  var hours = document.getElementById('hours-form');
  if (hours) {
    hours.addEventListener('submit', function (event) {
      event.preventDefault();
      var fields = hours.elements;
      var week = {};
      hours.querySelectorAll('[data-weekday]').forEach(function (input) {
        var ranges = list(input.value);
        if (ranges.length) week[input.name] = ranges;
      });
      var body = {
        timeZone: fields.timeZone.value.trim(), hours: week, slotMinutes: Number(fields.slotMinutes.value),
        bufferMinutes: Number(fields.bufferMinutes.value), closedDates: list(fields.closedDates.value),
        services: services(fields.services.value), defaultServiceMinutes: Number(fields.defaultServiceMinutes.value),
        minNoticeMinutes: Number(fields.minNoticeMinutes.value), horizonDays: Number(fields.horizonDays.value),
        reminderHoursBefore: Number(fields.reminderHoursBefore.value)
      };
      var error = hours.querySelector('[role=alert]');
      error.hidden = true;
      window.Layercake.call('PUT', '/availability', body)
        .then(function () { document.getElementById('hours-saved').hidden = false; })
        .catch(function (failure) { error.textContent = failure.message; error.hidden = false; });
    });
  }

  var invoice = document.getElementById('invoice-form');
  if (invoice) {
    invoice.addEventListener('submit', function (event) {
      event.preventDefault();
      var fields = invoice.elements;
      var lines = [];
      invoice.querySelectorAll('[data-line]').forEach(function (line) {
        var description = line.querySelector('[name=description]').value.trim();
        if (!description) return;
        lines.push({ description: description, quantity: Number(line.querySelector('[name=quantity]').value || 1),
          unitCents: Math.round(Number(line.querySelector('[name=unit]').value || 0) * 100) });
      });
      var body = { contactName: fields.contactName.value.trim(), contactKey: fields.contactKey.value.trim() || null,
        sessionId: fields.sessionId.value.trim() || null, currency: 'EUR',
        vatRateBasisPoints: Math.round(Number(fields.vatRate.value) * 100), lines: lines };
      var error = invoice.querySelector('[role=alert]');
      error.hidden = true;
      window.Layercake.call('POST', '/invoices', body)
        .then(function () { window.location.reload(); })
        .catch(function (failure) { error.textContent = failure.message; error.hidden = false; });
    });
  }

  // a document's new text replaces it: the new one is added, then the old one deleted
  var edit = document.getElementById('edit-document');
  if (edit) {
    edit.addEventListener('submit', function (event) {
      event.preventDefault();
      var fields = edit.elements;
      var error = edit.querySelector('[role=alert]');
      error.hidden = true;
      window.Layercake.call('POST', '/knowledge/documents', { title: fields.title.value, tags: list(fields.tags.value),
        mimeType: 'text/markdown', text: fields.text.value })
        .then(function (created) {
          return window.Layercake.call('DELETE', '/knowledge/documents/' + encodeURIComponent(edit.dataset.replace)).then(function () {
            window.location.assign(base + '/knowledge?document=' + encodeURIComponent(created.id));
          });
        })
        .catch(function (failure) { error.textContent = failure.message; error.hidden = false; });
    });
  }

  var feed = document.getElementById('new-feed');
  if (feed) {
    feed.addEventListener('click', function () {
      window.Layercake.call('POST', '/calendar-feed', {})
        .then(function (answer) { document.getElementById('feed-url').textContent = answer.url; })
        .catch(function (failure) {
          var error = document.getElementById('page-error');
          error.textContent = failure.message;
          error.hidden = false;
        });
    });
  }

  function saved(form, notice, promise) {
    var error = form.querySelector('[role=alert]');
    error.hidden = true;
    document.getElementById(notice).hidden = true;
    promise
      .then(function () { document.getElementById(notice).hidden = false; })
      .catch(function (failure) { error.textContent = failure.message; error.hidden = false; });
  }

  var handoff = document.getElementById('handoff-form');
  if (handoff) {
    handoff.addEventListener('submit', function (event) {
      event.preventDefault();
      var chosen = Array.prototype.filter.call(handoff.querySelectorAll('[name=userIds]'), function (box) { return box.checked; })
        .map(function (box) { return box.value; });
      saved(handoff, 'handoff-saved', window.Layercake.call('PUT', '/handoff-contacts', { userIds: chosen }));
    });
  }

  // the person's own choice for this client only: "default" clears it, so the importance of each notification decides again
  var mine = document.getElementById('my-notifications');
  if (mine) {
    mine.addEventListener('submit', function (event) {
      event.preventDefault();
      var choices = Array.prototype.map.call(mine.querySelectorAll('select'), function (select) {
        return { orgId: mine.dataset.org, channel: select.name, enabled: select.value === 'default' ? null : select.value === 'on' };
      });
      saved(mine, 'mine-saved', window.Layercake.call('PUT', '/notification-settings', { choices: choices }));
    });
  }

  // conversations, live: the portal's stream says when the list or the open conversation changed, and that part of
  // the page is read again and swapped in (a reply being typed stays as it is)
  var inbox = document.getElementById('inbox');
  if (inbox && window.EventSource) {
    var open = document.getElementById('conversation');
    var query = ['inboxMark=' + encodeURIComponent(inbox.dataset.inboxMark)];
    if (open) {
      query.push('session=' + encodeURIComponent(open.dataset.sessionId));
      query.push('conversationMark=' + encodeURIComponent(inbox.dataset.conversationMark));
    }
    var refreshes = 0;
    var refresh = function (id) {
      fetch(window.location.href, { credentials: 'same-origin' })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(id);
          var current = document.getElementById(id);
          if (fresh && current) current.replaceWith(document.importNode(fresh, true));
          refreshes += 1;
          document.body.dataset.liveRefreshes = String(refreshes);
        });
    };
    var live = new EventSource(base + '/live?' + query.join('&'));
    live.addEventListener('open', function () { document.body.dataset.live = 'connected'; });
    live.addEventListener('inbox', function () { refresh('conversation-list'); });
    live.addEventListener('conversation', function () { refresh('thread'); });
    window.addEventListener('pagehide', function () { live.close(); });
  }

  var switcher = document.getElementById('portal-switch');
  if (switcher) {
    switcher.addEventListener('change', function () { window.location.assign(switcher.value); });
  }
})();
