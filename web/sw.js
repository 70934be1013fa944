/* sw.js: lets the volunteer's assist form (/ho-tro) and the courses a
 * learner saved open without a connection.  Registered by /static/app.js
 * from /ho-tro and by /static/offline-learn.js from course, lesson and quiz
 * pages; served at /sw.js so its scope is the whole site, but it touches only:
 *   - navigations to /ho-tro: network first; a good answer (200, not sent
 *     to sign in) is kept as the page shell, and is what opens offline;
 *   - the site's CSS and scripts: network first, cached copy when offline;
 *   - GETs under /hoc/SLUG of a course saved on the phone (the cache
 *     "hocvuso-hoc-SLUG", filled by offline-learn.js): network first, and a
 *     page already saved is refreshed by a good answer; offline, the saved
 *     copy.
 * Every other request (other pages, the API, POSTs) goes to the network
 * untouched and is never cached.  Signing out (POST /dang-xuat) drops the
 * caches: saved pages carry the session's form tokens.  The forms waiting
 * to be sent are not here: app.js and offline-learn.js keep them in IndexedDB. */
"use strict";

var CACHE = "hocvuso-ho-tro-v1";
var PAGE = "/ho-tro";
var ASSETS = ["/static/style.css", "/static/app.js", "/static/offline-learn.js"];
var COURSE = "hocvuso-hoc-";

/* Keeps a copy of the form page if the answer is the form itself; forgets
 * it when the answer sends to sign in.  Resolves when the cache is done. */
function keepPage(res) {
  return caches.open(CACHE).then(function (c) {
    if (res.ok && res.type === "basic" && !res.redirected && new URL(res.url).pathname === PAGE)
      return c.put(PAGE, res);
    if (res.type === "opaqueredirect" || res.redirected) return c["delete"](PAGE);
  });
}
/* The cached copy of a path (in cache name, or any of ours), or a network
 * error (the browser's own page). */
function cached(path, name) {
  return caches.match(path, name ? { cacheName: name, ignoreVary: true } : { ignoreVary: true }).then(function (hit) {
    return hit || Response.error();
  });
}
/* A good answer for a page the course's cache already holds replaces it. */
function refresh(name, path, res) {
  return caches.has(name).then(function (has) {
    if (!has || !res.ok || res.redirected) return;
    return caches.open(name).then(function (c) {
      return c.match(path).then(function (old) { if (old) return c.put(path, res); });
    });
  });
}

self.addEventListener("install", function (ev) {
  /* The page that registered us was not under our control: fetch it now. */
  ev.waitUntil(caches.open(CACHE).then(function (c) {
    return Promise.all([
      c.addAll(ASSETS),
      fetch(PAGE, { credentials: "same-origin", redirect: "manual" }).then(keepPage).catch(function () {})
    ]);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (ev) {
  /* Old versions of this cache go; then control the open /ho-tro page. */
  ev.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("hocvuso-") === 0 && k !== CACHE && k.indexOf(COURSE) !== 0; })
      .map(function (k) { return caches["delete"](k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (ev) {
  var req = ev.request, url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === "POST" && url.pathname === "/dang-xuat") {
    ev.waitUntil(caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k === CACHE || k.indexOf(COURSE) === 0; })
        .map(function (k) { return caches["delete"](k); }));
    }));
    return;
  }
  if (req.method !== "GET") return;
  if (req.mode === "navigate" && url.pathname === PAGE) {
    ev.respondWith(fetch(req).then(function (res) {
      /* Not /ho-tro?da-ghi=1: it carries a one-off notice. */
      if (!url.search) ev.waitUntil(keepPage(res.clone()));
      return res;
    }, function () { return cached(PAGE, CACHE); }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    ev.respondWith(fetch(req).then(function (res) {
      if (res.ok) {
        var copy = res.clone();
        ev.waitUntil(caches.open(CACHE).then(function (c) { return c.put(url.pathname, copy); }));
      }
      return res;
    }, function () { return cached(url.pathname); }));
    return;
  }
  var m = /^\/hoc\/([^\/]+)(\/|$)/.exec(url.pathname);
  if (m && !url.search) {
    var name = COURSE + decodeURIComponent(m[1]);
    ev.respondWith(fetch(req).then(function (res) {
      ev.waitUntil(refresh(name, url.pathname, res.clone()).catch(function () {}));
      return res;
    }, function () { return cached(url.pathname, name); }));
  }
});
