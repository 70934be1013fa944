/* app.js: the only script of the site, and an extra: "Nghe" reads the
 * lesson aloud with the browser's speech synthesis, in a Vietnamese voice
 * when the phone has one.  Everything else works without it. */
(function () {
  "use strict";
  var button = document.getElementById("speak");
  var article = document.getElementById("lesson");
  if (!button || !article || !("speechSynthesis" in window)) return;
  var synth = window.speechSynthesis;
  var label = button.textContent;
  function voice() {
    var vs = synth.getVoices();
    for (var i = 0; i < vs.length; i++) if (vs[i].lang && vs[i].lang.toLowerCase().indexOf("vi") === 0) return vs[i];
    return null;
  }
  function stop() {
    synth.cancel();
    button.textContent = label;
    button.setAttribute("aria-pressed", "false");
  }
  button.hidden = false;
  button.setAttribute("aria-pressed", "false");
  button.addEventListener("click", function () {
    if (synth.speaking) { stop(); return; }
    /* Only the lesson itself: its title and text, not the buttons. */
    var title = article.querySelector("h1"), body = article.querySelector(".prose");
    var text = (title ? title.innerText + ". " : "") + (body ? body.innerText : article.innerText);
    var u = new SpeechSynthesisUtterance(text);
    u.lang = "vi-VN";
    var v = voice();
    if (v) u.voice = v;
    u.rate = 0.9;
    u.onend = stop;
    synth.speak(u);
    button.textContent = "■ " + (button.getAttribute("data-stop") || "Stop");
    button.setAttribute("aria-pressed", "true");
  });
})();
