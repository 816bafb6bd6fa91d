// Phone-note form helpers. The form works without them; they save keystrokes.
(function () {
  "use strict";
  // Filter a <select> by what is typed in the search box above it: an option matches on its
  // text or on its search words (data-words: scope, unit, knowledge-base tags), so "snø"
  // finds the queue that clears snow. A match in the name is chosen before one in the words.
  // Enter or ArrowDown moves to the select with the first match chosen.
  document.querySelectorAll("[data-filter-select]").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-filter-select"));
    if (!select) return;
    var options = Array.prototype.slice.call(select.options);
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var byName = null;
      var byWords = null;
      options.forEach(function (opt) {
        var inName = opt.text.toLowerCase().indexOf(q) !== -1;
        var inWords = (opt.getAttribute("data-words") || "").indexOf(q) !== -1;
        var match = !q || opt.value === "" || inName || inWords;
        opt.hidden = !match;
        if (!q || !opt.value) return;
        if (inName && !byName) byName = opt;
        if (inWords && !byWords) byWords = opt;
      });
      var first = byName || byWords;
      if (first && q && select.value !== first.value) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === "ArrowDown") { e.preventDefault(); select.focus(); }
    });
  });

  // The chosen queue's answer time for the chosen channel, under the queue list.
  var times = document.getElementById("answer-times");
  var answerTime = document.getElementById("queue-answer-time");
  var queue = document.getElementById("id_queue");
  var channel = document.getElementById("id_channel");
  if (times && answerTime && queue && channel) {
    var data = JSON.parse(times.textContent);
    var showAnswerTime = function () {
      var perChannel = data.queues[queue.value] || {};
      var days = perChannel[channel.value];
      if (days === undefined) days = data.defaults[channel.value];
      var text = days === undefined ? "" : data.texts[String(days)] || "";
      if (answerTime.textContent !== text) answerTime.textContent = text;
    };
    queue.addEventListener("change", showAnswerTime);
    channel.addEventListener("change", showAnswerTime);
    showAnswerTime();
  }

  // Routing's proposal (contact/_queue_proposal.html): a candidate's button chooses its
  // queue; a sure proposal is chosen by itself, but only while nobody has chosen a queue by
  // hand (a person's choice is never overwritten).
  var proposal = document.getElementById("queue-proposal");
  var chosenByHand = false;
  if (proposal && queue) {
    var choose = function (code) {
      if (queue.value === code) return;
      queue.value = code;
      queue.dispatchEvent(new Event("change", { bubbles: true }));
    };
    queue.addEventListener("change", function (e) {
      if (e.isTrusted) chosenByHand = true;
    });
    proposal.addEventListener("click", function (e) {
      var btn = e.target.closest && e.target.closest("[data-choose-queue]");
      if (!btn) return;
      chosenByHand = true;
      choose(btn.getAttribute("data-choose-queue"));
    });
    // What the last sure proposal chose: taken back when the text no longer supports it.
    var chosenByProposal = "";
    document.body.addEventListener("htmx:afterSwap", function (e) {
      if (e.target !== proposal || chosenByHand) return;
      var box = proposal.querySelector("[data-preselect]");
      var code = box ? box.getAttribute("data-preselect") : "";
      if (code) {
        choose(code);
        chosenByProposal = code;
      } else if (chosenByProposal && queue.value === chosenByProposal) {
        choose("");
        chosenByProposal = "";
      }
    });
  }

  // Earlier senders: the suggestion buttons are out of the Tab order, so that Tab always
  // goes on to the next field. ArrowDown in a sender field moves into the list; ArrowUp and
  // ArrowDown move in it, Escape goes back to the field.
  var senderFields = ["id_sender_name", "id_sender_phone", "id_sender_email"];
  var lastField = null;
  var suggestionButtons = function () {
    var box = document.getElementById("sender-suggestions");
    return box ? Array.prototype.slice.call(box.querySelectorAll("[data-sender-name]")) : [];
  };
  senderFields.forEach(function (id) {
    var field = document.getElementById(id);
    if (!field) return;
    field.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowDown") return;
      var buttons = suggestionButtons();
      if (!buttons.length) return;
      e.preventDefault();
      lastField = field;
      buttons[0].focus();
    });
  });
  document.addEventListener("keydown", function (e) {
    var btn = e.target.closest && e.target.closest("[data-sender-name]");
    if (!btn) return;
    var buttons = suggestionButtons();
    var i = buttons.indexOf(btn);
    if (e.key === "ArrowDown" && i < buttons.length - 1) { e.preventDefault(); buttons[i + 1].focus(); }
    else if (e.key === "ArrowUp") {
      e.preventDefault();
      if (i > 0) buttons[i - 1].focus();
      else if (lastField) lastField.focus();
    } else if (e.key === "Escape" && lastField) { e.preventDefault(); lastField.focus(); }
  });
  // Choosing an earlier sender fills in the sender fields.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-sender-name]");
    if (!btn) return;
    var set = function (id, value) { var el = document.getElementById(id); if (el && value) el.value = value; };
    set("id_sender_name", btn.dataset.senderName);
    set("id_sender_phone", btn.dataset.senderPhone);
    set("id_sender_email", btn.dataset.senderEmail);
    set("id_sender_kind", btn.dataset.senderKind);
    set("id_language", btn.dataset.senderLanguage);
    set("id_organisation_number", btn.dataset.senderOrgnr);
    set("id_postal_address", btn.dataset.senderPostalAddress);
    set("id_postcode", btn.dataset.senderPostcode);
    set("id_postal_place", btn.dataset.senderPostalPlace);
    var postal = document.getElementById("id_postal_address");
    if (postal && postal.value && postal.closest("details")) postal.closest("details").open = true;
    var box = document.getElementById("sender-suggestions");
    if (box) box.innerHTML = "";
    var status = document.getElementById("sender-status");
    if (status) status.textContent = "";
    var subject = document.getElementById("id_subject");
    if (subject) subject.focus();
  });
})();
