// Imported into the generated service worker (vite.config.ts, workbox.importScripts).
// A Background Sync event wakes the open tabs of the app, which push their outbox with the app's one
// sync engine (pwa/src/data/sync.ts); with no tab open the outbox waits on the device until the app opens.
self.addEventListener('sync', (event) => {
  if (event.tag !== 'in3d-outbox') return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((clients) => {
      for (const client of clients) client.postMessage({ type: 'in3d-outbox' });
    }),
  );
});
