// Phone-note form helpers. The form works without them; they save keystrokes.
(function () {
  "use strict";
  // Filter a <select> by what is typed in the search box above it; Enter or ArrowDown moves
  // to the select with the first match chosen.
  document.querySelectorAll("[data-filter-select]").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-filter-select"));
    if (!select) return;
    var options = Array.prototype.slice.call(select.options);
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var first = null;
      options.forEach(function (opt) {
        var match = !q || opt.value === "" || opt.text.toLowerCase().indexOf(q) !== -1;
        opt.hidden = !match;
        if (match && opt.value && !first) first = opt;
      });
      if (first && q) select.value = first.value;
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === "ArrowDown") { e.preventDefault(); select.focus(); }
    });
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
    var box = document.getElementById("sender-suggestions");
    if (box) box.innerHTML = "";
    var subject = document.getElementById("id_subject");
    if (subject) subject.focus();
  });
})();
