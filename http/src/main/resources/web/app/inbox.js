/*
 * The inbox, live: the tab's event stream says when the list or the open conversation changed,
 * and htmx swaps in the fresh part of the page: the list, or the open conversation's messages with
 * the link to older ones (the reply being typed stays as it is). A canned
 * reply fills the reply box.
 */
(function () {
  'use strict';
  var open = document.getElementById('conversation');
  var marks = document.getElementById('inbox').dataset;
  // the marks the page was read at: what changes after them comes as an event, even before the stream opened
  var query = ['inboxMark=' + encodeURIComponent(marks.inboxMark)];
  if (open) {
    query.push('session=' + encodeURIComponent(open.dataset.sessionId));
    query.push('conversationMark=' + encodeURIComponent(marks.conversationMark));
  }
  var refreshes = 0;

  function refresh(selector) {
    window.htmx.ajax('GET', window.location.href, { target: selector, select: selector, swap: 'outerHTML' }).then(function () {
      refreshes += 1;
      document.body.dataset.liveRefreshes = String(refreshes);
    });
  }

  // the tab's one live stream (app.js) carries the inbox's events too
  window.Layercake.liveQuery(query);
  window.Layercake.listen('inbox', function () { refresh('#conversation-list'); });
  window.Layercake.listen('conversation', function () { refresh('#thread'); });

  var canned = document.getElementById('canned');
  if (canned) {
    canned.addEventListener('change', function () {
      if (!canned.value) return;
      var box = document.getElementById('reply-text');
      box.value = canned.value;
      box.focus();
      canned.value = '';
    });
  }

  // outside WhatsApp's window only an approved template reaches the customer
  var templateForm = document.getElementById('template-form');
  if (templateForm) {
    templateForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var alert = templateForm.querySelector('[role=alert]');
      alert.hidden = true;
      var chosen = templateForm.elements.template.value.split('|');
      window.Layercake.call('POST', '/conversations/' + encodeURIComponent(templateForm.dataset.sessionId) + '/messages', {
        template: { name: chosen[0], language: chosen[1],
          parameters: templateForm.elements.values.value.split('\n').map(function (line) { return line.trim(); }).filter(Boolean) }
      })
        .then(function () { window.location.reload(); })
        .catch(function (error) { alert.textContent = error.message; alert.hidden = false; });
    });
  }
})();
