/*
 * The feed page, live: the tab's stream (app.js) also says when the feed changed (a new item, a
 * comment, a reaction, from anyone), and the list is swapped in fresh (a comment being typed stays).
 */
(function () {
  'use strict';
  window.Layercake.liveQuery(['feed=1']);
  window.Layercake.listen('feed', function () {
    var typing = document.activeElement && document.activeElement.closest('#feed-items form');
    if (typing) return;
    window.htmx.ajax('GET', window.location.href, { target: '#feed-items', select: '#feed-items', swap: 'outerHTML' });
  });
})();
