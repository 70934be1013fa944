/* practice.js: practice simulations run in place (progressive enhancement
 * of pages_practice.c).  Each answer is the same form POST the page makes
 * without JavaScript; the answer page (the hint, "show me", or the next
 * step after the redirect) replaces the simulation on this page without a
 * reload, and the address follows.  "Nghe" reads the step aloud. */
(function () {
  "use strict";
  function speakSetup() {
    var b = document.getElementById("speak-step"), say = document.getElementById("say");
    if (!b || !say || !("speechSynthesis" in window)) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      window.speechSynthesis.cancel();
      var u = new SpeechSynthesisUtterance(say.innerText);
      u.lang = "vi-VN";
      u.rate = 0.9;
      window.speechSynthesis.speak(u);
    });
  }
  function swap(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("practice"), old = document.getElementById("practice");
    if (!fresh || !old) { window.location.href = url; return; }
    old.replaceWith(fresh);
    document.title = doc.title;
    if (url !== window.location.href) window.history.pushState({}, "", url);
    var alert = fresh.querySelector("[role=alert], [role=status]");
    var focus = alert || document.getElementById("say");
    if (focus) { if (!focus.hasAttribute("tabindex")) focus.setAttribute("tabindex", "-1"); focus.focus(); }
    bind();
  }
  function onSubmit(e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("sim-form") || !window.fetch) return;
    e.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    if (e.submitter && e.submitter.name) body.append(e.submitter.name, e.submitter.value);
    var buttons = form.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.text().then(function (t) { swap(t, r.url); }); })
      .catch(function () { form.submit(); });
  }
  function bind() { speakSetup(); }
  document.addEventListener("submit", onSubmit);
  window.addEventListener("popstate", function () { window.location.reload(); });
  bind();
})();
