/*
 * The messages page: a new message or a reply goes out with a client message id made here, so a
 * retried click is the same message; opening a thread marks it read up to its last message; the
 * tab's live stream (app.js) says when a thread changed, and the page's threads and messages are
 * swapped in fresh.
 */
(function () {
  'use strict';
  var api = window.Layercake;

  function clientId() {
    return 'web-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
  }

  function fail(form, error) {
    var box = form.querySelector('[role=alert]');
    box.textContent = error.message;
    box.hidden = false;
  }

  function sendFrom(form, path, extra) {
    var id = form.dataset.clientMessageId || (form.dataset.clientMessageId = clientId());
    var body = { clientMessageId: id, text: form.elements.text.value };
    Object.keys(extra || {}).forEach(function (key) { body[key] = extra[key]; });
    return api.call('POST', path, body).then(function (answer) {
      delete form.dataset.clientMessageId;
      return answer;
    });
  }

  var created = document.getElementById('new-message');
  if (created) {
    created.addEventListener('submit', function (event) {
      event.preventDefault();
      sendFrom(created, '/dms', { to: created.elements.to.value })
        .then(function (answer) { window.location.assign('/app/messages/' + encodeURIComponent(answer.threadId)); })
        .catch(function (error) { fail(created, error); });
    });
  }

  var thread = document.getElementById('dm-thread');
  if (!thread) return;
  var reply = document.getElementById('dm-reply');
  reply.addEventListener('submit', function (event) {
    event.preventDefault();
    sendFrom(reply, '/dms/' + thread.dataset.threadId + '/messages')
      .then(function () { window.location.reload(); })
      .catch(function (error) { fail(reply, error); });
  });

  function markRead() {
    var last = document.getElementById('dm-messages').dataset.lastSeq;
    if (Number(last) > 0) api.call('POST', '/dms/' + thread.dataset.threadId + '/read', { seq: Number(last) }).catch(function () {});
  }
  markRead();

  function refresh(selector) {
    return window.htmx.ajax('GET', window.location.href, { target: selector, select: selector, swap: 'outerHTML' });
  }
  api.listen('dms', function () {
    refresh('#dm-messages').then(markRead).then(function () { return refresh('#thread-list'); });
  });
})();
