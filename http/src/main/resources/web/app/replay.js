/*
 * A replay's page: while the replay runs, its progress is read from the REST API and shown; once it
 * is done (or cancelled) the page reloads once to show the report.
 */
(function () {
  'use strict';
  var api = window.Layercake;
  var title = document.getElementById('replay-title');
  if (title.dataset.status !== 'queued' && title.dataset.status !== 'running') return;
  var path = '/agents/' + encodeURIComponent(title.dataset.agentId) + '/replays/' + encodeURIComponent(title.dataset.replayId)
    + '?limit=1';
  var progress = document.getElementById('replay-progress');

  function poll() {
    api.call('GET', path).then(function (report) {
      var replay = report.replay;
      progress.value = replay.progress.percent;
      progress.textContent = replay.progress.percent + '%';
      if (replay.status === 'done' || replay.status === 'cancelled') {
        window.location.reload();
      } else {
        window.setTimeout(poll, 1000);
      }
    }).catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
