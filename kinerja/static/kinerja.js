/* Kinerja: selects that search the server (RemoteSelectField) and follow a master field;
   an indicator form hides what a qualitative indicator has no use for (target, unit,
   direction, accumulation). */
(function ($) {
  "use strict";
  function initRemoteSelect(el) {
    var $el = $(el);
    var masterId = $el.data("master");
    var masterValue = $el.data("master-value");
    $el.select2({
      theme: "bootstrap",
      width: "100%",
      allowClear: $el.data("allow-clear") === true || $el.data("allow-clear") === "true",
      placeholder: $el.data("placeholder") || "",
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
  function followQualitative(box) {
    var $rows = $("#target, #unit, #direction, #accumulation").closest("tr");
    function toggle() { $rows.toggle(!box.checked); }
    $(box).on("change", toggle);
    toggle();
  }
  $(function () {
    $("select.kinerja-remote-select").each(function () { initRemoteSelect(this); });
    $("input[type=checkbox]#qualitative").each(function () { followQualitative(this); });
  });
})(jQuery);
