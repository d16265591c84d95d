/* Wardfleet clinician app service worker (scope /app/): shows a Web Push notification while no app tab is open or
   visible, and opens the app on a click. The payload is only {priority, text: "Open Wardfleet", id} — like the pager
   text policy, nothing about the patient or sender reaches the lock screen or the push service. */
'use strict';

const PRIORITIES = ['STAT', 'URGENT', 'ROUTINE'];

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = {};
  }
  const priority = PRIORITIES.includes(data.priority) ? data.priority : 'URGENT';
  const id = typeof data.id === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(data.id) ? data.id : '';
  const title = priority === 'STAT' ? 'STAT page' : priority === 'URGENT' ? 'Urgent page' : 'New message';
  event.waitUntil(self.registration.showNotification(title, {
    body: 'Open Wardfleet',
    tag: 'wardfleet-' + (id || priority),
    renotify: true,
    requireInteraction: priority === 'STAT',
    icon: '/app/assets/icon-192.png',
    data: { id }
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  // the inbox lists what waits for an answer; the open app raises the alert from its own stream
  const target = '/app/';
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
    const open = windows.find((w) => new URL(w.url).pathname.startsWith('/app'));
    if (open) {
      return open.focus();
    }
    return self.clients.openWindow(target);
  }));
});

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
