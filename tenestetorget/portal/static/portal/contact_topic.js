// The contact form's topic proposal (portal/topics.py). The form works without it: with no
// topic chosen, Tenestetorget routes the message itself. As the citizen writes, routing is
// asked what the text is about; when it is sure, «Kva gjeld det?» is chosen for them and a
// line under it says so (read out by screen readers). A topic the citizen chose themselves
// is never changed; one we chose is taken back when the text no longer makes routing sure.
(function () {
  "use strict";
  var note = document.getElementById("topic-proposal");
  var topic = document.getElementById("id_queue");
  var subject = document.getElementById("id_subject");
  var body = document.getElementById("id_body");
  if (!note || !topic || !subject || !body || !window.fetch) return;
  var url = note.getAttribute("data-topic-url");
  var template = note.getAttribute("data-topic-text") || "";
  var chosenByHand = topic.value !== "";
  var chosenByUs = "";
  var timer = null;
  var asked = "";

  // Setting the value from here fires no event: every change event is the citizen's.
  topic.addEventListener("change", function () {
    chosenByHand = topic.value !== "";
    chosenByUs = "";
    note.textContent = "";
  });

  function show(code) {
    if (chosenByHand) return;
    if (code && topic.querySelector('option[value="' + code + '"]')) {
      if (topic.value !== code) topic.value = code;
      chosenByUs = code;
      var label = topic.options[topic.selectedIndex].text;
      note.textContent = template.replace("{topic}", label);
    } else if (chosenByUs) {
      topic.value = "";
      chosenByUs = "";
      note.textContent = "";
    }
  }

  function ask() {
    var text = subject.value + "\n" + body.value;
    if (text.trim().length < 10 || text === asked || chosenByHand) return;
    asked = text;
    var query = "?subject=" + encodeURIComponent(subject.value.slice(0, 2000)) +
      "&body=" + encodeURIComponent(body.value.slice(0, 2000));
    fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { queue: "" }; })
      .then(function (data) { show(data.queue || ""); })
      .catch(function () { /* no proposal: the form works as before */ });
  }

  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(ask, 700);
  }
  subject.addEventListener("input", later);
  body.addEventListener("input", later);
})();
