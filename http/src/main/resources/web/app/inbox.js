/*
 * The inbox, live: a server-sent event stream says when the list or the open conversation changed,
 * and htmx swaps in the fresh part of the page: the list, or the open conversation's messages with
 * the link to older ones (the reply being typed stays as it is). A canned
 * reply fills the reply box.
 */
(function () {
  'use strict';
  var open = document.getElementById('conversation');
  var marks = document.getElementById('inbox').dataset;
  var org = document.body.dataset.org;
  // the marks the page was read at: what changes after them comes as an event, even before the stream opened
  var query = ['inboxMark=' + encodeURIComponent(marks.inboxMark)];
  if (org) query.push('org=' + encodeURIComponent(org));
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

  if (window.EventSource) {
    var live = new EventSource('/app/inbox/live?' + query.join('&'));
    live.addEventListener('open', function () { document.body.dataset.live = 'connected'; });
    live.addEventListener('inbox', function () { refresh('#conversation-list'); });
    live.addEventListener('conversation', function () { refresh('#thread'); });
  }

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
})();
