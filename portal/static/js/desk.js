/* Passerelle — "At the desk": reads the French sentence aloud with the browser's speech synthesis
   and a French voice. Without a French voice, says so in words beside the button. Without this
   file the button stays hidden and the sentence can still be shown. */
(function () {
  "use strict";

  var box = document.querySelector("[data-desk]");
  if (!box) { return; }
  var button = box.querySelector("[data-desk-play]");
  var status = box.querySelector("[data-desk-status]");
  var sentence = box.querySelector("[data-desk-sentence]");
  if (!button || !status || !sentence) { return; }
  var synth = window.speechSynthesis;
  var canSpeak = !!synth && typeof synth.speak === "function" && typeof window.SpeechSynthesisUtterance === "function";

  // A Belgian French voice if there is one, else any French voice.
  function frenchVoice() {
    var voices = canSpeak && typeof synth.getVoices === "function" ? synth.getVoices() || [] : [];
    var found = null;
    for (var i = 0; i < voices.length; i += 1) {
      var lang = String(voices[i].lang || "").toLowerCase().replace("_", "-");
      if (lang === "fr-be") { return voices[i]; }
      if (!found && (lang === "fr" || lang.indexOf("fr-") === 0)) { found = voices[i]; }
    }
    return found;
  }

  // Browsers load their voices late: wait for them once, at most 1.5 s.
  function withVoices(then) {
    if (!canSpeak || synth.getVoices().length || typeof synth.addEventListener !== "function") { then(); return; }
    var done = false;
    function finish() { if (!done) { done = true; then(); } }
    synth.addEventListener("voiceschanged", finish);
    window.setTimeout(finish, 1500);
  }

  function say() {
    var voice = frenchVoice();
    if (!voice) {
      status.textContent = button.getAttribute(canSpeak ? "data-no-voice" : "data-no-speech");
      return;
    }
    status.textContent = "";
    synth.cancel();
    var utterance = new window.SpeechSynthesisUtterance(sentence.textContent.trim());
    utterance.lang = voice.lang || "fr-FR";
    utterance.voice = voice;
    utterance.rate = 0.9;
    synth.speak(utterance);
  }

  button.hidden = false;
  button.addEventListener("click", function () { withVoices(say); });
})();
