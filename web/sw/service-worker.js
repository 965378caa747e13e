/*
 * The web UI's service worker: keeps the app shell (the page, its scripts,
 * styles, the engine worker and the icon) in a cache made at install, so the
 * page opens without a network and, in local mode, converts offline. The
 * list of files and the cache's name are written in by the build
 * (web/vite.config.ts). Calls to the service (/api/...) are never cached.
 */
const SHELL = self.__SHELL__;
const CACHE = 'image2svg-shell-' + self.__VERSION__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('image2svg-shell-') && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const scope = new URL(self.registration.scope);
  const path = url.pathname.slice(scope.pathname.length - 1);
  if (path.startsWith('/api/') || path.startsWith('/docs')) return;
  if (request.mode === 'navigate') {
    // The page: the network's when it answers (a new version), else the cached one.
    event.respondWith(
      fetch(request).catch(() =>
        caches
          .match(new URL('./index.html', self.registration.scope).href)
          .then((r) => r ?? Response.error()),
      ),
    );
    return;
  }
  // Hashed assets never change under a name: the cache answers first.
  event.respondWith(caches.match(request).then((cached) => cached ?? fetch(request)));
});
