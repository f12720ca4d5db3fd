/*
 * The dashboard's service worker: shows a pushed notification (the payload is the JSON the server
 * encrypted for this browser: title, body, url) and opens its page when it is clicked.
 */
'use strict';
self.addEventListener('push', function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: 'Layercake', body: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || 'Layercake', {
    body: data.body || '', tag: data.notificationId, data: { url: data.url || '/app/notifications' } }));
});
self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  event.waitUntil(clients.openWindow(event.notification.data.url));
});
