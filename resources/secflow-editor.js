// Editor helpers shared by secflow's edit dialogs. Node-RED serves this file at
// resources/node-red-contrib-secflow/secflow-editor.js; each .html that uses it
// loads it (loading it again is harmless).
(function () {
  'use strict';
  if (window.secflowEditor) return;
  window.secflowEditor = {
    /**
     * The cursor store picker of the extractor dialogs: fills the select
     * #node-input-cursorStore-select with the context stores the runtime has
     * (plus the node's own value if it names a store that is not configured) and
     * keeps the hidden #node-input-cursorStore, the saved property, in step.
     */
    cursorStoreSelect: function () {
      var stores = (RED.settings.context && RED.settings.context.stores) || [];
      var select = $('#node-input-cursorStore-select');
      var hidden = $('#node-input-cursorStore');
      select.empty();
      select.append($('<option>').val('').text('default'));
      stores.forEach(function (s) { if (s !== 'default') select.append($('<option>').val(s).text(s)); });
      var current = hidden.val();
      if (current && stores.indexOf(current) < 0) select.append($('<option>').val(current).text(current + ' (not configured)'));
      select.val(current || '');
      select.on('change', function () { hidden.val(select.val()); });
    },

    /** The Code42 extractor dialogs: the cursor store picker, and the OR-mode exemptions shown only with OR mode. */
    extractorDialog: function () {
      this.cursorStoreSelect();
      var orMode = $('#node-input-orMode');
      function refresh() { $('.secflow-or-exempt').toggle(orMode.is(':checked')); }
      orMode.on('change', refresh);
      refresh();
    },
  };
})();
