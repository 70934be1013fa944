/* offline-learn.js: learning without a connection (course, lesson and quiz
 * pages; see docs/architecture.md, "Offline learning").
 *  - Course page: "Tải về để học không cần mạng" puts the course page, its
 *    lessons, their images, its quiz page and the site's CSS/JS in the
 *    Cache Storage "hocvuso-hoc-SLUG"; /sw.js answers from it offline.
 *    The page says what is saved and how much space it takes, and removes it.
 *  - Lesson and quiz pages: a form that cannot be sent is kept in IndexedDB
 *    ("hocvuso-hoc" / "queue": {id, course, kind, url, body, ts, state,
 *    error}) and sent by itself when the connection is back, oldest first.
 *    A lesson read counts once (the server keeps one row per learner and
 *    lesson, and checks the signed time of the cached page); a quiz attempt
 *    carries its client id "ma", so a resend answers the stored result.
 * Without this script every form posts the usual way. */
(function () {
  "use strict";
  var box = document.getElementById("learn-box");
  if (!box || !window.fetch || !window.indexedDB || !window.caches || !window.URLSearchParams || !window.Promise) return;
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(function () {});
  var course = box.getAttribute("data-course");
  var CACHE = "hocvuso-hoc-" + course, META = "hocvuso-hoc:" + course;
  function t(k) { return box.getAttribute("data-" + k) || ""; }
  function $(id) { return document.getElementById(id); }
  function path(u) { return new URL(u, location.href).pathname; }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var h = "", b = crypto.getRandomValues(new Uint8Array(16)), i;
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    for (i = 0; i < 16; i++) h += (i === 4 || i === 6 || i === 8 || i === 10 ? "-" : "") + (b[i] + 256).toString(16).slice(1);
    return h;
  }

  /* ---- the queue (IndexedDB) ---- */
  var opened = null;
  function store(mode, op) {
    if (!opened) opened = new Promise(function (ok, fail) {
      var r = indexedDB.open("hocvuso-hoc", 1);
      r.onupgradeneeded = function () { r.result.createObjectStore("queue", { keyPath: "id" }); };
      r.onsuccess = function () { ok(r.result); };
      r.onerror = function () { opened = null; fail(r.error); };
    });
    return opened.then(function (d) {
      return new Promise(function (ok, fail) {
        var x = d.transaction("queue", mode), q = op(x.objectStore("queue"));
        x.oncomplete = function () { ok(q && q.result); };
        x.onerror = x.onabort = function () { fail(x.error); };
      });
    });
  }
  function rows() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (r) {
      return (r || []).sort(function (a, b) { return a.ts - b.ts; });
    });
  }
  function keep(rec) { return store("readwrite", function (s) { return s.put(rec); }); }
  function forget(id) { return store("readwrite", function (s) { return s["delete"](id); }); }

  /* ---- what the page shows ---- */
  function say(text) {
    var m = $("learn-msg");
    m.textContent = "";
    setTimeout(function () { m.textContent = text; }, 50);
  }
  function render() {
    return rows().then(function (all) {
      var mine = all.filter(function (r) { return r.course === course; }), waiting = 0, list = $("learn-failed");
      list.textContent = "";
      mine.forEach(function (r) {
        if (r.state !== "failed") { waiting++; return; }
        var li = document.createElement("li"), span = document.createElement("span"), b = document.createElement("button");
        li.className = "failed";
        span.id = "lq-" + r.id;
        span.textContent = t(r.kind) + " — " + t("refused") + ": " + r.error;
        b.type = "button";
        b.className = "secondary";
        b.textContent = t("discard");
        b.setAttribute("aria-describedby", span.id);
        b.addEventListener("click", function () { forget(r.id).then(show, show); });
        li.appendChild(span);
        li.appendChild(b);
        list.appendChild(li);
      });
      list.hidden = !list.firstChild;
      var text = t("queued") + ": " + waiting;
      if ($("learn-count").textContent !== text) $("learn-count").textContent = text;
      return mine;
    });
  }
  function show() { return render().catch(function () { return []; }); }

  /* ---- sending what waits ---- */
  function messageOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var el = doc.querySelector(".error, [role=alert]") || doc.querySelector("main p");
    return { text: el ? el.textContent.replace(/\s+/g, " ").trim() : "", doc: doc };
  }
  /* Resolves "ok" | "retry" | {error}. */
  function send(rec) {
    return fetch(rec.url, {
      method: "POST", body: rec.body, credentials: "same-origin", redirect: "follow", cache: "no-store",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (res) {
      var to = path(res.url);
      if (res.ok && res.redirected && (rec.kind === "quiz" ? /\/kiem-tra\/ket-qua$/.test(to) : to !== path(rec.url))) return "ok";
      if (res.status >= 500 || res.status === 408) return "retry";
      return res.text().then(function (html) {
        var m = messageOf(html);
        if (res.status === 429) {
          /* Too soon (a lesson) or a cool-down (a quiz): later.  A lesson
           * page that answers with another time did not take ours. */
          var mo = m.doc.querySelector("input[name=mo]");
          if (rec.kind === "quiz" || !mo || mo.value === new URLSearchParams(rec.body).get("mo")) return "retry";
        }
        return { error: m.text || "HTTP " + res.status };
      });
    }, function () { return "retry"; });
  }
  /* After a queued attempt is scored, the saved quiz page is the next attempt's. */
  function refreshQuiz(rec) {
    var name = "hocvuso-hoc-" + rec.course;
    return caches.has(name).then(function (has) {
      if (!has) return;
      return fetch(rec.url, { credentials: "same-origin", cache: "no-store" }).then(function (res) {
        if (res.ok && !res.redirected) return caches.open(name).then(function (c) { return c.put(rec.url, res); });
      });
    }).catch(function () {});
  }
  var busy = false;
  function flush() {
    if (busy || !navigator.onLine) return show();
    busy = true;
    var sent = 0;
    return rows().then(function (all) {
      return all.filter(function (r) { return r.state !== "failed"; }).reduce(function (p, rec) {
        return p.then(function (go) {
          if (!go) return false;
          return send(rec).then(function (r) {
            if (r === "retry") return false;
            if (r === "ok") sent++;
            var done = r === "ok" ? forget(rec.id) : keep({ id: rec.id, course: rec.course, kind: rec.kind, url: rec.url,
              body: rec.body, ts: rec.ts, state: "failed", error: r.error });
            return done.then(function () { return r === "ok" && rec.kind === "quiz" ? refreshQuiz(rec) : null; })
              .then(function () { return true; });
          });
        });
      }, Promise.resolve(true));
    }).catch(function () {}).then(function () {
      busy = false;
      if (sent) say(t("sent").replace("{n}", sent));
      if (sent && quiz && quiz.hidden) { location.reload(); return []; }   /* scored: the page now shows the next attempt */
      return show();
    });
  }

  /* ---- a form sent through here: the page goes on, or the form waits ---- */
  function post(form, kind, kept) {
    var body = new URLSearchParams(new FormData(form)).toString();
    var rec = { id: kind === "quiz" ? form.elements.ma.value : newId(), course: course, kind: kind,
      url: form.action, body: body, ts: Date.now(), state: "queued", error: "" };
    return fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin", redirect: "follow", cache: "no-store",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (res) {
      if (res.ok && res.redirected) location.assign(res.url);
      else form.submit();   /* the server's own page says what is wrong (a resend stores nothing twice) */
    }, function () {
      return keep(rec).then(function () { kept(); }, function () { form.submit(); });
    });
  }

  /* Lesson page: offline, the read is noted after the lesson's time, as online. */
  var readForm = $("read-form");
  if (readForm) {
    var since = Date.now();
    readForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var wait = Math.ceil(Number(t("wait")) - (Date.now() - since) / 1000);
      if (!navigator.onLine && wait > 0) { say(t("too-soon") + " " + wait + " " + t("too-soon-b")); return; }
      post(readForm, "lesson", function () {
        sessionStorage.setItem("hocvuso-hoc-msg", t("kept-lesson"));
        var next = document.querySelector("a[rel=next]") || document.querySelector(".pager a:last-child");
        if (next && next.getAttribute("rel") !== "prev") location.assign(next.href);
        else { say(t("kept-lesson")); show(); }
      });
    });
  }

  /* Quiz page: one client id per attempt shown; an attempt already waiting is not answered twice. */
  var quiz = $("quiz-form");
  function waitingQuiz() {
    quiz.hidden = true;
    var p = document.createElement("p");
    p.className = "notice";
    p.textContent = t("waiting-quiz");
    box.appendChild(p);
  }
  if (quiz) {
    var ma = document.createElement("input");
    ma.type = "hidden";
    ma.name = "ma";
    ma.value = newId();
    quiz.appendChild(ma);
    quiz.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var sets = quiz.querySelectorAll("fieldset.question");
      for (var i = 0; i < sets.length; i++) {
        if (!sets[i].querySelector("input:checked")) { say(t("unanswered") + " " + (i + 1) + "."); return; }
      }
      post(quiz, "quiz", function () { waitingQuiz(); say(t("kept-quiz")); show(); });
    });
  }

  /* ---- course page: save, say what is saved, remove ---- */
  var save = $("offline-save"), dropBtn = $("offline-drop");
  function size(n) {
    var lang = document.documentElement.lang || "vi";
    return n < 1048576 ? Math.max(1, Math.round(n / 1024)).toLocaleString(lang) + " KB"
      : (n / 1048576).toLocaleString(lang, { maximumFractionDigits: 1 }) + " MB";
  }
  function state() {
    return caches.has(CACHE).then(function (has) {
      var m = has && JSON.parse(localStorage.getItem(META) || "null");
      $("offline-state").textContent = m ? t("saved") + ". " + t("what").replace("{lessons}", m.lessons)
        .replace("{images}", m.images).replace("{quiz}", m.quiz).replace("{size}", size(m.bytes)) : t("not-saved");
      dropBtn.hidden = !m;
    });
  }
  function download() {
    var got = { lessons: 0, images: 0, quiz: 0, bytes: 0 }, seen = {};
    var lessons = [].map.call(document.querySelectorAll("ol.lessons a"), function (a) { return a.href; });
    var quizLink = document.querySelector("a[href$='/kiem-tra']");
    return caches["delete"](CACHE).then(function () { return caches.open(CACHE); }).then(function (c) {
      /* One at a time: the first lesson gives an anonymous learner the cookie the others are signed for. */
      function fetchKeep(url, kind) {
        var u = path(url);
        if (seen[u]) return Promise.resolve("");
        seen[u] = 1;
        return fetch(u, { credentials: "same-origin", cache: "no-store" }).then(function (res) {
          if (!res.ok || res.redirected) throw new Error(u);
          return res.clone().blob().then(function (b) {
            got.bytes += b.size;
            if (kind) got[kind]++;
            return c.put(u, res).then(function () { return /html/.test(b.type) ? b.text() : ""; });
          });
        });
      }
      function images(html, base) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        return [].reduce.call(doc.querySelectorAll("img[src]"), function (p, img) {
          var u = new URL(img.getAttribute("src"), base);
          return u.origin === location.origin ? p.then(function () { return fetchKeep(u.href, "images"); }) : p;
        }, Promise.resolve());
      }
      var all = [location.pathname, "/static/style.css", "/static/app.js", "/static/offline-learn.js", "/static/icon.svg"];
      var p = all.reduce(function (p, u) { return p.then(function () { return fetchKeep(u, null); }); }, Promise.resolve());
      lessons.forEach(function (u) {
        p = p.then(function () { return fetchKeep(u, "lessons"); }).then(function (html) { return images(html, u); });
      });
      if (quizLink) p = p.then(function () { return fetchKeep(quizLink.href, "quiz"); });
      return p;
    }).then(function () {
      localStorage.setItem(META, JSON.stringify(got));
    });
  }
  if (save) {
    save.addEventListener("click", function () {
      save.disabled = true;
      $("offline-state").textContent = t("saving");
      download().then(function () { return state(); }).then(function () { say(t("saved")); }, function () {
        caches["delete"](CACHE);
        localStorage.removeItem(META);
        return state().then(function () { say(t("failed")); });
      }).then(function () { save.disabled = false; });
    });
    dropBtn.addEventListener("click", function () {
      if (!window.confirm(t("drop-ask"))) return;
      caches["delete"](CACHE).then(function () {
        localStorage.removeItem(META);
        return state();
      }).then(function () { say(t("dropped")); });
    });
    state();
  }

  var flash = sessionStorage.getItem("hocvuso-hoc-msg");
  if (flash) { sessionStorage.removeItem("hocvuso-hoc-msg"); say(flash); }
  box.hidden = false;
  show().then(function (mine) {
    if (quiz && mine.some(function (r) { return r.kind === "quiz" && r.state !== "failed"; })) waitingQuiz();
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", show);
  setInterval(flush, 60000);
  flush();
})();
