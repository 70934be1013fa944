/* app.js: the only script of the site, and an extra everywhere:
 *  1. "Nghe" reads the lesson (or a quiz question) aloud with the browser's
 *     speech synthesis in a Vietnamese voice, and says how to get one when
 *     the phone has none;
 *  2. the volunteer's assist form (/ho-tro) keeps working without a
 *     connection: a form that cannot be sent is kept in IndexedDB and sent
 *     by itself when the connection is back (the hidden UUID makes a resent
 *     form count once), and /sw.js lets the page open offline;
 *  3. "Quên mã PIN" (/quen-ma-pin) takes the phone and code a reset QR
 *     carries after '#' (never sent to the server) into the form, and a
 *     "print this code" button prints a recovery code;
 *  4. the unit picker of staff pages (form[data-picker]) lists the matching
 *     units as one types, from the page the form posts to (/chon-don-vi);
 *  5. registration loads a province's communes in place, with a search
 *     that ignores diacritics.
 * Everything works without it: the form then posts the usual way. */
(function () {
  "use strict";
  /* Every "Nghe" button: #speak reads the lesson (#lesson: its title and
   * text), a [data-speak] button the question it sits in (the fieldset:
   * its legend and answers).  Where the phone has no Vietnamese voice (or no
   * speech at all, or speaking never starts) the page says so and how to
   * get one (#speak-help), instead of pretending to read. */
  var buttons = document.querySelectorAll("#speak, [data-speak]");
  var help = document.getElementById("speak-help");
  if (!buttons.length) return;
  var synth = "speechSynthesis" in window ? window.speechSynthesis : null;
  var current = null, watchdog = 0;
  function vietnamese(vs) {
    for (var i = 0; i < vs.length; i++) if (vs[i].lang && vs[i].lang.toLowerCase().replace("_", "-").indexOf("vi") === 0) return vs[i];
    return null;
  }
  /* Voices load late on some phones: wait for them a little. */
  function withVoices(cb) {
    var vs = synth.getVoices(), done = false;
    if (vs.length) { cb(vs); return; }
    function go() { if (!done) { done = true; cb(synth.getVoices()); } }
    if (synth.addEventListener) synth.addEventListener("voiceschanged", go);
    setTimeout(go, 1500);
  }
  function showHelp() {
    if (!help) return;
    help.hidden = false;
    help.scrollIntoView({ block: "nearest" });
  }
  function reset(b) {
    clearTimeout(watchdog);
    b.textContent = b.getAttribute("data-label");
    b.setAttribute("aria-pressed", "false");
    if (current === b) current = null;
  }
  function stop() {
    if (synth) synth.cancel();
    if (current) reset(current);
  }
  function textOf(b) {
    var target = b.hasAttribute("data-speak") ? b.closest("fieldset") : document.getElementById("lesson");
    if (!target) return "";
    if (!b.hasAttribute("data-speak")) {
      var title = target.querySelector("h1"), body = target.querySelector(".prose");
      return (title ? title.innerText + ". " : "") + (body ? body.innerText : target.innerText);
    }
    var copy = target.cloneNode(true), inner = copy.querySelectorAll("button");
    for (var i = 0; i < inner.length; i++) inner[i].parentNode.removeChild(inner[i]);
    var parts = [], bits = copy.querySelectorAll("legend, label");
    for (var k = 0; k < bits.length; k++) parts.push(bits[k].textContent.trim());
    return parts.join(". ");
  }
  function speak(b) {
    withVoices(function (vs) {
      var v = vietnamese(vs);
      if (!v) { showHelp(); return; }
      var u = new SpeechSynthesisUtterance(textOf(b));
      u.lang = "vi-VN";
      u.voice = v;
      u.rate = 0.9;
      u.onstart = function () { clearTimeout(watchdog); };
      u.onend = function () { reset(b); };
      u.onerror = function () { reset(b); showHelp(); };
      current = b;
      b.textContent = "\u25A0 " + (b.getAttribute("data-stop") || "Stop");
      b.setAttribute("aria-pressed", "true");
      /* A voice that never starts is no voice at all. */
      watchdog = setTimeout(function () { if (!synth.speaking) { stop(); showHelp(); } }, 4000);
      synth.speak(u);
    });
  }
  for (var i = 0; i < buttons.length; i++) {
    var b = buttons[i];
    b.setAttribute("data-label", b.textContent);
    b.setAttribute("aria-pressed", "false");
    b.hidden = false;
    b.addEventListener("click", function (ev) {
      var me = ev.currentTarget, was = current;
      stop();
      if (was === me) return;
      if (!synth) { showHelp(); return; }
      speak(me);
    });
  }
})();

/* ---- The assist form, offline tolerant ----
 * Queue: IndexedDB "hocvuso" / store "outbox", one record per form, keyed
 * by the form's id: {id, body (URL-encoded, as the form posts it), ts,
 * state "queued"|"failed", error}.  Sending = POST /ho-tro with that body
 * (its _csrf is bound to this browser's session): the server answers 303
 * to /ho-tro?da-ghi=1 when the assist is stored, also for an id it already
 * has, so a form sent twice (answer lost on the way) counts once.
 *   2xx/3xx to ?da-ghi=1   stored: removed from the queue
 *   network error, 5xx, 408, 429   kept, sent again when back online
 *   other 4xx, or sent to sign in  kept as "failed" with the server's
 *       message, never retried alone: "Sửa lại" puts it back in the form
 *       (same id, this page's _csrf), "Bỏ phiếu này" drops it. */
(function () {
  "use strict";
  var form = document.getElementById("help-form");
  var box = document.getElementById("outbox");
  if (!form || !box || !window.fetch || !window.indexedDB || !window.URLSearchParams || !window.FormData) return;

  if ("serviceWorker" in navigator) {
    /* Caches this page and its CSS/JS so the form opens offline (sw.js). */
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  }

  var msg = document.getElementById("outbox-msg");
  var count = document.getElementById("outbox-count");
  var list = document.getElementById("outbox-list");
  var idField = form.elements.id;
  function t(k) { return box.getAttribute("data-" + k) || ""; }

  /* A version 4 UUID, also where crypto.randomUUID is missing (plain HTTP). */
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16), h = [];
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    for (var i = 0; i < 16; i++) h.push((b[i] + 0x100).toString(16).slice(1));
    h = h.join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* ---- IndexedDB, as promises ---- */
  var dbp = null;
  function db() {
    if (!dbp) dbp = new Promise(function (ok, fail) {
      var r = indexedDB.open("hocvuso", 1);
      r.onupgradeneeded = function () { r.result.createObjectStore("outbox", { keyPath: "id" }); };
      r.onsuccess = function () { ok(r.result); };
      r.onerror = function () { dbp = null; fail(r.error); };
    });
    return dbp;
  }
  /* op(store) runs in one transaction; resolves with its request's result. */
  function tx(mode, op) {
    return db().then(function (d) {
      return new Promise(function (ok, fail) {
        var x = d.transaction("outbox", mode), req = op(x.objectStore("outbox"));
        x.oncomplete = function () { ok(req && req.result); };
        x.onerror = x.onabort = function () { fail(x.error); };
      });
    });
  }
  function all() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return (rows || []).sort(function (a, b) { return a.ts - b.ts; });   /* oldest first */
    });
  }
  function put(rec) { return tx("readwrite", function (s) { return s.put(rec); }); }
  function drop(id) { return tx("readwrite", function (s) { return s["delete"](id); }); }
  function get(id) { return tx("readonly", function (s) { return s.get(id); }); }

  /* ---- sending ---- */
  /* The message of an error page: the form's alert, or the server's own page. */
  function messageOf(html) {
    try {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var el = doc.querySelector(".error, [role=alert]") || doc.querySelector("main p");
      return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
    } catch (e) { return ""; }
  }
  /* Resolves {ok:true} | {retry:true} | {failed:true, error}. */
  function send(body) {
    return fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin", redirect: "follow", cache: "no-store",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (res) {
      var to = new URL(res.url, location.href);
      if (res.ok && to.pathname === "/ho-tro" && to.searchParams.has("da-ghi")) return { ok: true };
      if (res.status >= 500 || res.status === 408 || res.status === 429) return { retry: true };
      if (res.ok && res.redirected) return { failed: true, error: t("signin") };   /* sent to sign in */
      return res.text().then(function (html) {
        return { failed: true, error: messageOf(html) || t("failed") + " (HTTP " + res.status + ")" };
      });
    }, function () { return { retry: true }; });
  }

  /* ---- what the page shows ---- */
  /* A notice in the status line (polite). */
  function say(text) {
    /* Emptied first, so the same words said twice are announced twice. */
    msg.textContent = "";
    msg.className = "outbox-msg" + (text ? " notice" : "");
    setTimeout(function () { msg.textContent = text; }, 50);
  }
  /* The notices and errors shown so far go (also the server's). */
  function clearMessages() {
    say("");
    var old = document.querySelectorAll("main > p.notice, main > p.error, #help-form > .notice, #form-error, #help-form .field-error");
    for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
    var bad = form.querySelectorAll("fieldset.invalid");
    for (var j = 0; j < bad.length; j++) { bad[j].classList.remove("invalid"); }
    form.removeAttribute("aria-describedby");
  }
  /* An error where the eye is: a role=alert box at the top of the form
   * (items: [{text, anchor}] listed as links to their fields), focused. */
  function alarm(text, items) {
    var old = document.querySelectorAll("main > p.error, #form-error");
    for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
    var div = document.createElement("div");
    div.id = "form-error";
    div.className = "error";
    div.setAttribute("role", "alert");
    div.tabIndex = -1;
    div.appendChild(document.createTextNode(text));
    if (items && items.length) {
      var ul = document.createElement("ul");
      items.forEach(function (it) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = "#" + it.anchor;
        a.textContent = it.text;
        li.appendChild(a);
        ul.appendChild(li);
      });
      div.appendChild(ul);
    }
    form.insertBefore(div, form.firstChild);
    form.setAttribute("aria-describedby", "form-error");
    div.focus({ preventScroll: true });
    div.scrollIntoView({ block: "start" });
  }
  /* Every required answer checked at once (the server checks the same):
   * the fieldsets marked data-need, each with its own message. */
  function missing() {
    var out = [], phone = form.elements.phone && form.elements.phone.value.trim();
    var sets = form.querySelectorAll("fieldset[data-need]");
    for (var i = 0; i < sets.length; i++) {
      var fs = sets[i], need = fs.getAttribute("data-need");
      if (need === "person" && phone) continue;   /* a registered learner: their account says */
      if (fs.querySelector("input:checked")) continue;
      out.push({ text: fs.getAttribute("data-msg"), anchor: fs.id });
      fs.classList.add("invalid");
      var note = document.createElement("p");
      note.className = "field-error";
      note.textContent = fs.getAttribute("data-msg");
      fs.insertBefore(note, fs.querySelector("legend").nextSibling);
    }
    return out;
  }
  /* "14:05 · Cài đặt VNeID, VssID": when, and what was helped with. */
  function summary(rec) {
    var p = new URLSearchParams(rec.body), what = [];
    p.forEach(function (v, k) {
      var l = k.indexOf("s_") === 0 && form.querySelector("label[for='" + k.replace(/[^a-z0-9_]/g, "") + "']");
      if (l) what.push(l.textContent.trim());
    });
    var d = new Date(rec.ts), hm = ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
    return hm + (what.length ? " · " + what.join(", ") : "");
  }
  function render() {
    return all().then(function (rows) {
      var waiting = 0;
      list.textContent = "";
      rows.forEach(function (rec) {
        var li = document.createElement("li"), span = document.createElement("span");
        span.id = "ob-" + rec.id;
        span.textContent = summary(rec) + " — " + (rec.state === "failed" ? t("failed") + ": " + rec.error : t("waiting"));
        li.appendChild(span);
        if (rec.state === "failed") {
          li.className = "failed";
          li.appendChild(action(t("edit"), rec, edit));
          li.appendChild(action(t("drop"), rec, discard));
        } else {
          waiting++;
        }
        list.appendChild(li);
      });
      var text = t("queued") + ": " + waiting;
      if (count.textContent !== text) count.textContent = text;   /* announced only when it changes */
      list.hidden = rows.length === 0;
    });
  }
  /* render() that never fails (IndexedDB may be refused, e.g. private mode). */
  function show() { return render().catch(function () {}); }
  function action(label, rec, fn) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "secondary";
    b.textContent = label;
    b.setAttribute("aria-describedby", "ob-" + rec.id);
    b.addEventListener("click", function () { fn(rec); });
    return b;
  }
  /* Puts a failed form back in the fields: same id, this page's _csrf. */
  function edit(rec) {
    form.reset();
    new URLSearchParams(rec.body).forEach(function (v, k) {
      if (k === "_csrf") return;
      var el = form.elements[k];
      if (!el) return;
      if (el.length !== undefined && !el.options) {   /* radio group */
        for (var i = 0; i < el.length; i++) el[i].checked = el[i].value === v;
      } else if (el.type === "checkbox") {
        el.checked = true;
      } else {
        el.value = v;
      }
    });
    clearMessages();
    say(t("editing"));
    var first = form.querySelector("input:not([type=hidden]), select");
    if (first) first.focus();
  }
  function discard(rec) {
    if (!window.confirm(t("drop-ask"))) return;
    drop(rec.id).then(show, show);
  }
  function fresh() {
    form.reset();
    idField.value = uuid();
  }

  /* ---- sending what waits ---- */
  var busy = false, again = false;
  function flush() {
    if (busy) { again = true; return Promise.resolve(); }
    if (!navigator.onLine) return show();
    busy = true;
    var sent = 0, refused = 0;
    return all().then(function (rows) {
      var queued = rows.filter(function (r) { return r.state !== "failed"; });
      /* One at a time, oldest first; stop at the first network error. */
      return queued.reduce(function (p, rec) {
        return p.then(function (go) {
          if (!go) return false;
          return send(rec.body).then(function (r) {
            if (r.retry) return false;
            if (r.ok) sent++; else refused++;
            var done = r.ok ? drop(rec.id) : put({ id: rec.id, body: rec.body, ts: rec.ts, state: "failed", error: r.error });
            return done.then(show).then(function () { return true; });
          });
        });
      }, Promise.resolve(true));
    }).then(show, show).then(function () {
      if (sent) say(t("sent").replace("{n}", sent));
      if (refused) alarm(t("refused"));
      busy = false;
      if (again) { again = false; return flush(); }
    });
  }

  /* ---- the form ---- */
  var sending = false;
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (sending) return;
    clearMessages();
    var lacking = missing();
    if (lacking.length) { alarm(t("missing"), lacking); return; }
    sending = true;
    var rec = { id: idField.value, body: new URLSearchParams(new FormData(form)).toString(), ts: Date.now(), state: "queued", error: "" };
    var keep = function () {
      /* Not sent: kept for later (same id, so never counted twice). */
      return get(rec.id).then(function (old) {
        if (old) rec.ts = old.ts;
        return put(rec);
      }).then(function () {
        fresh();
        say(t("offline"));
      }, function () {
        alarm(t("nostore"));   /* the fields stay filled */
      });
    };
    var p = !navigator.onLine ? keep() : send(rec.body).then(function (r) {
      if (r.retry) return keep();
      if (r.ok) {
        fresh();
        say(t("saved"));
        return drop(rec.id).then(flush, function () {});
      }
      /* Refused (e.g. a field is missing): show why, keep the fields. */
      return get(rec.id).then(function (old) {
        if (old) return put({ id: rec.id, body: rec.body, ts: old.ts, state: "failed", error: r.error });
      }).then(function () { alarm(r.error); }, function () { alarm(r.error); });
    });
    p.then(show, show).then(function () {
      sending = false;
      if (!document.getElementById("form-error")) box.scrollIntoView({ block: "start" });
    });
  });

  /* The browser's own check stops at the first empty group; ours lists all. */
  form.noValidate = true;
  var err = document.getElementById("form-error");
  if (err) err.focus();

  /* A page opened from the cache (offline) carries an id that may already
   * be used: every form shown gets a new one. */
  idField.value = uuid();
  window.addEventListener("pageshow", function (e) { if (e.persisted) idField.value = uuid(); });
  window.addEventListener("online", flush);
  /* The network may fail while the phone says it is online (weak signal):
   * try again now and then; an empty queue costs no request. */
  setInterval(flush, 60000);
  window.addEventListener("offline", show);
  box.hidden = false;
  flush();
})();

/* ---- Reset codes: the QR's #sdt=…&ma=… into the form; printing ---- */
(function () {
  "use strict";
  var form = document.getElementById("forgot");
  if (form && location.hash.length > 1) {
    var parts = location.hash.slice(1).split("&");
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].split("="), v = decodeURIComponent(kv[1] || "");
      if (!/^[0-9]{1,12}$/.test(v)) continue;
      if (kv[0] === "sdt" && form.phone && !form.phone.value) form.phone.value = v;
      if (kv[0] === "ma" && form.code && !form.code.value) form.code.value = v;
    }
    /* The code leaves the address bar (and the history). */
    if (history.replaceState) history.replaceState(null, "", location.pathname);
    if (form.phone.value && form.code.value && form.pin) form.pin.focus();
  }
  var print = document.querySelectorAll("[data-print]");
  for (var j = 0; j < print.length; j++) {
    print[j].hidden = false;
    print[j].addEventListener("click", function () { window.print(); });
  }
})();

/* ---- The unit picker ----
 * As one types (a pause of 250 ms), asks the form's own page
 * (/chon-don-vi?den=…&ten=…: the server folds diacritics and keeps to the
 * caller's roles) and shows its list of links under the field. */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-picker]");
  Array.prototype.forEach.call(forms, function (form) {
    var field = form.querySelector("input[name=ten]"), live = form.querySelector("[aria-live]");
    if (!field || !live || !window.fetch || !window.DOMParser) return;
    var timer = null, asked = 0;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = field.value.trim();
        if (q.length < 2) { live.innerHTML = ""; return; }
        var n = ++asked;
        var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
        fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
          if (n !== asked) return;  /* an older answer */
          var doc = new DOMParser().parseFromString(html, "text/html");
          var found = doc.getElementById("picker-matches");
          live.innerHTML = found ? found.innerHTML : "";
        }).catch(function () { /* the form still posts */ });
      }, 250);
    });
  });
})();

/* ---- Registration: province → commune in one form ----
 * Without JavaScript, "Chọn xã, phường" posts the form and the server
 * answers with the same form, everything kept, the communes listed.  Here
 * the communes come in place (the server's own list, in its order) and a
 * search box narrows them, diacritics optional ("thu dau mot"). */
(function () {
  "use strict";
  var form = document.getElementById("register-form");
  if (!form || !window.fetch || !window.DOMParser) return;
  var tinh = document.getElementById("tinh"), unit = document.getElementById("unit");
  var wrap = document.getElementById("commune-wrap"), choose = document.getElementById("choose-wrap");
  var find = document.getElementById("xa-tim"), count = document.getElementById("xa-count");
  var label = form.querySelector("label[for=unit]");
  var all = [];
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function keep() { all = Array.prototype.slice.call(unit.options); }
  function filter() {
    var q = fold(find.value), words = q ? q.split(" ") : [], chosen = unit.value, shown = 0, last = null;
    unit.textContent = "";
    all.forEach(function (o) {
      var k = o.getAttribute("data-k");
      var hit = !o.value || o.value === "none" || words.every(function (w) { return k.indexOf(w) >= 0; });
      if (!hit) return;
      unit.appendChild(o);
      if (o.value && o.value !== "none") { shown++; last = o; }
    });
    if (shown === 1 && words.length) last.selected = true;
    else if (chosen) unit.value = chosen;
    count.textContent = words.length ? count.getAttribute("data-found").replace("{n}", shown) : "";
  }
  function load() {
    var v = tinh.value;
    if (!v || v === "none") {
      wrap.hidden = true;
      unit.required = false;
      unit.value = "";
      return;
    }
    fetch("/dang-ky?tinh=" + encodeURIComponent(v), { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : Promise.reject(r.status);
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById("unit"), lab = doc.querySelector("label[for=unit]");
      if (!fresh) return;
      unit.innerHTML = fresh.innerHTML;
      unit.value = "";
      if (lab) label.textContent = lab.textContent;
      keep();
      find.value = "";
      count.textContent = "";
      unit.required = true;
      wrap.hidden = false;
    }, function () { choose.hidden = false; });   /* the server's way still works */
  }
  choose.hidden = true;
  [find, count, form.querySelector("label[for=xa-tim]")].forEach(function (el) { el.hidden = false; });
  keep();
  tinh.addEventListener("change", load);
  find.addEventListener("input", filter);
  var err = document.getElementById("form-error");
  if (err) err.focus();
})();

/* ---- "Gần tôi": touch points nearest first ----
 * The browser's location goes once, in the address (/diem-cham?lat=&lon=,
 * rounded to about 100 m); the server keeps it nowhere.  Without
 * JavaScript or a location, the name search above does the same job. */
(function () {
  "use strict";
  var button = document.getElementById("near-me"), msg = document.getElementById("near-msg");
  if (!button || !msg || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    msg.textContent = button.getAttribute("data-busy");
    navigator.geolocation.getCurrentPosition(function (p) {
      location.href = "/diem-cham?lat=" + p.coords.latitude.toFixed(3) + "&lon=" + p.coords.longitude.toFixed(3);
    }, function () {
      msg.textContent = button.getAttribute("data-denied");
      document.getElementById("q").focus();
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
})();

/* ---- The attendance QR: a fresh code each minute ----
 * Reloads when the minute turns (no <meta refresh>); the "Lấy mã mới"
 * link does the same by hand, and "Tạm dừng" (?dung=1) stops it. */
(function () {
  "use strict";
  var link = document.getElementById("qr-refresh");
  var s = link && Number(link.getAttribute("data-seconds"));
  if (s > 0) setTimeout(function () { location.replace(link.href); }, s * 1000);
})();
