/* Passerelle — "Listen": reads a question, a card or a course page aloud with the browser's own
   speech synthesis (nothing leaves the device). The page's language with a voice of that language;
   what operators wrote (marked lang="fr") with a French voice. When the device has no voice for
   the page's language, it says so in words. Without speech synthesis the buttons stay hidden. */
(function () {
  "use strict";

  if (!window.speechSynthesis || typeof window.SpeechSynthesisUtterance !== "function") { return; }
  var synth = window.speechSynthesis;
  var words = document.getElementById("listen-words");
  if (!words) { return; }

  function base(lang) { return (lang || "").toLowerCase().replace("_", "-").split("-")[0]; }

  function voiceFor(lang) {
    var wanted = (lang || "").toLowerCase().replace("_", "-");
    var voices = synth.getVoices();
    var exact = voices.filter(function (v) { return v.lang.toLowerCase().replace("_", "-") === wanted; });
    if (exact.length) { return exact[0]; }
    var same = voices.filter(function (v) { return base(v.lang) === base(lang); });
    return same.length ? same[0] : null;
  }

  function withVoices(callback) {
    if (synth.getVoices().length) { callback(); return; }
    var done = false;
    function once() { if (!done) { done = true; callback(); } }
    synth.addEventListener("voiceschanged", once);
    window.setTimeout(once, 1000);
  }

  /* The text of ``root`` in reading order, in runs of one language. */
  function segments(root) {
    var pageLang = document.documentElement.lang;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var skip = node.parentElement.closest("[hidden], [aria-hidden=true], script, style, .listen, .visually-hidden");
        return skip ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var runs = [];
    var node;
    while ((node = walker.nextNode())) {
      var text = node.nodeValue.replace(/\s+/g, " ").trim();
      if (!text) { continue; }
      var marked = node.parentElement.closest("[lang]");
      var lang = marked ? marked.getAttribute("lang") : pageLang;
      var last = runs[runs.length - 1];
      if (last && last.lang === lang) { last.text += " " + text; } else { runs.push({ lang: lang, text: text }); }
    }
    return runs;
  }

  function setup(holder) {
    var target = document.getElementById(holder.getAttribute("data-listen"));
    if (!target) { return; }
    var button = holder.querySelector("button");
    var status = holder.querySelector(".listen-status");
    var label = button.innerHTML;
    holder.hidden = false;

    function stopped() { button.innerHTML = label; button.removeAttribute("aria-pressed"); }

    button.addEventListener("click", function () {
      if (synth.speaking) { synth.cancel(); stopped(); return; }
      status.textContent = "";
      withVoices(function () {
        if (!voiceFor(document.documentElement.lang)) {
          status.textContent = words.getAttribute("data-no-voice");
          return;
        }
        var runs = segments(target).filter(function (run) { return voiceFor(run.lang); });
        if (!runs.length) { return; }
        button.textContent = words.getAttribute("data-stop");
        button.setAttribute("aria-pressed", "true");
        runs.forEach(function (run, index) {
          var utterance = new window.SpeechSynthesisUtterance(run.text);
          utterance.lang = run.lang;
          utterance.voice = voiceFor(run.lang);
          utterance.rate = 0.9;
          if (index === runs.length - 1) { utterance.onend = stopped; utterance.onerror = stopped; }
          synth.speak(utterance);
        });
      });
    });
  }

  document.querySelectorAll("[data-listen]").forEach(setup);
}());
