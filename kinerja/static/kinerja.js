/* Kinerja's behaviour on its pages, driven by data attributes: the Content-Security-Policy
   runs no inline script or event handler of ours, only this file (and FAB's nonced scripts).

   data-confirm="…"   on a form or a submit button: ask before submitting
   data-print         on a button: print the page
   data-width="42"    a progress bar's width in percent
   #evaluation-form[data-preview-url]   the supervisor's ratings preview the predikat
   #team-today[data-feed-url][data-seen]   the team's day reloads when something new arrives
   select.kinerja-remote-select   selects that search the server (RemoteSelectField)
   input#qualitative   an indicator form hides what a qualitative indicator has no use for
                       (target, unit, direction, accumulation) */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) ||
      event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });

  function evaluationPreview() {
    var form = document.getElementById("evaluation-form");
    var behaviour = document.getElementById("behaviour");
    if (!form || !behaviour || !form.getAttribute("data-preview-url")) { return; }
    behaviour.addEventListener("change", function () { behaviour.dataset.chosen = "yes"; });
    function show(id, text) { document.getElementById(id).textContent = text || "—"; }
    function refresh() {
      var body = new FormData(form);
      if (!behaviour.dataset.chosen) { body.delete("behaviour"); }  // follow the suggestion
      fetch(form.getAttribute("data-preview-url"), {method: "POST", body: body, credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          show("suggested-results", data.suggested_results_label);
          var reason = document.getElementById("suggestion-reason");
          if (reason) { reason.textContent = data.suggested_results_reason || ""; }
          show("suggested-behaviour", data.suggested_behaviour_label);
          if (!behaviour.dataset.chosen && data.suggested_behaviour) {
            behaviour.value = data.suggested_behaviour;  // the suggestion, visibly preselected
          }
          show("predikat-preview", data.predikat_label);
        });
    }
    form.addEventListener("change", refresh);
    refresh();
  }

  function teamFeed() {
    var team = document.getElementById("team-today");
    if (!team || !team.getAttribute("data-feed-url")) { return; }
    var seen = Number(team.getAttribute("data-seen"));
    setInterval(function () {
      fetch(team.getAttribute("data-feed-url"), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && data.count !== seen) { window.location.reload(); } });
    }, 30000);
  }

  function progressBars() {
    document.querySelectorAll("[data-width]").forEach(function (bar) {
      bar.style.width = Number(bar.getAttribute("data-width")) + "%";
    });
  }

  function remoteSelects($) {
    function initRemoteSelect(el) {
      var $el = $(el);
      var masterId = $el.data("master");
      var masterValue = $el.data("master-value");
      $el.select2({
        theme: "bootstrap",
        width: "100%",
        allowClear: $el.data("allow-clear") === true || $el.data("allow-clear") === "true",
        placeholder: $el.data("placeholder") || "",
        language: {
          noResults: function () { return $el.data("no-results"); },
          searching: function () { return $el.data("searching"); },
          errorLoading: function () { return $el.data("error-loading"); },
          loadingMore: function () { return $el.data("loading-more"); }
        },
        ajax: {
          url: $el.data("url"),
          dataType: "json",
          delay: 250,
          data: function (params) {
            var query = {q: params.term || "", page: params.page || 1};
            if (masterValue) { query.master = masterValue; }
            else if (masterId) { query.master = $("#" + masterId).val() || ""; }
            return query;
          },
          processResults: function (data) { return data; }
        }
      });
      if (masterId) {
        $("#" + masterId).on("change", function () { $el.val(null).trigger("change"); });
      }
    }
    $("select.kinerja-remote-select").each(function () { initRemoteSelect(this); });
  }

  function qualitativeIndicators($) {
    $("input[type=checkbox]#qualitative").each(function () {
      var box = this;
      var $rows = $("#target, #unit, #direction, #accumulation").closest("tr");
      function toggle() { $rows.toggle(!box.checked); }
      $(box).on("change", toggle);
      toggle();
    });
  }

  function ready() {
    progressBars();
    evaluationPreview();
    teamFeed();
    if (window.jQuery) {
      remoteSelects(window.jQuery);
      qualitativeIndicators(window.jQuery);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
