// The service worker: keeps the app shell on the device so the app opens with no network.
// The build writes its digest into VERSION, so each release gets a cache of its own.
const VERSION = "spip-shell-__BUILD_DIGEST__";
const SHELL = [
  "/",
  "/pkg/app.js",
  "/pkg/app_bg.wasm",
  "/style/nhsuk-frontend.min.css",
  "/style/app.css",
  "/icons/icon.svg",
  "/manifest.webmanifest",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== VERSION).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  // The API is never cached: the app's own storage holds the data, the server the truth.
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  if (event.request.mode === "navigate") {
    // Pages: the network when there is one (a fresh shell), the cached shell when there is not.
    event.respondWith(fetch(event.request).catch(() => caches.match("/", { cacheName: VERSION })));
    return;
  }
  event.respondWith(
    caches.match(event.request, { cacheName: VERSION }).then((cached) => cached ?? fetch(event.request)),
  );
});
