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

    /**
     * The Code42 extractor dialogs: the cursor store picker, the OR-mode exemptions
     * shown only with OR mode, and (given the node) the confirm node picker.
     */
    extractorDialog: function (node) {
      this.cursorStoreSelect();
      var orMode = $('#node-input-orMode');
      function refresh() { $('.secflow-or-exempt').toggle(orMode.is(':checked')); }
      orMode.on('change', refresh);
      refresh();
      if (node) this.confirmPicker(node);
    },

    /** The extractor dialogs' oneditsave: stores the confirm picker's selection. */
    extractorDialogSave: function (node) {
      var list = $('#node-input-confirm-list');
      if (list.length) node.confirm = list.treeList('selected').map(function (item) { return item.node.id; });
    },

    /**
     * A node picker like the core Complete node's: the nodes on the same tab, with
     * a search box and "select nodes" from the workspace. The selection is saved by
     * extractorDialogSave into node.confirm, which the node's defaults declare with
     * type '*[]', so copy, paste and import remap the ids to the copied nodes.
     */
    confirmPicker: function (node) {
      var container = $('#node-input-confirm-list');
      if (!container.length) return;
      var selectedIds = Array.isArray(node.confirm) ? node.confirm : [];
      var items = [];
      var itemById = {};
      RED.nodes.filterNodes({ z: node.z }).forEach(function (n) {
        if (n.id === node.id) return;
        var def = RED.nodes.getType(n.type);
        var label = def && def.label ? (typeof def.label === 'function' ? def.label.call(n) : def.label) : '';
        var item = { node: n, label: label || n.type, sublabel: n.type, selected: selectedIds.indexOf(n.id) >= 0, checkbox: true };
        itemById[n.id] = item;
        items.push(item);
      });
      var list = container.css({ width: '100%', height: '100%' }).treeList({ multi: true })
        .on('treelistitemmouseover', function (e, item) { item.node.highlighted = true; item.node.dirty = true; RED.view.redraw(); })
        .on('treelistitemmouseout', function (e, item) { item.node.highlighted = false; item.node.dirty = true; RED.view.redraw(); });
      list.treeList('data', items);
      var search = $('#node-input-confirm-filter').searchBox({
        style: 'compact',
        delay: 300,
        change: function () {
          var val = $(this).val().trim().toLowerCase();
          if (val === '') {
            list.treeList('filter', null);
            search.searchBox('count', '');
          } else {
            var count = list.treeList('filter', function (item) { return item.label.toLowerCase().indexOf(val) > -1 || item.node.type.toLowerCase().indexOf(val) > -1; });
            search.searchBox('count', count + ' / ' + items.length);
          }
        },
      });
      $('#node-input-confirm-select').on('click', function (e) {
        e.preventDefault();
        var preselected = list.treeList('selected').map(function (item) { return item.node.id; });
        RED.tray.hide();
        RED.view.selectNodes({
          selected: preselected,
          filter: function (n) { return n.id !== node.id; },
          oncancel: function () { RED.tray.show(); },
          onselect: function (selection) {
            RED.tray.show();
            var chosen = {};
            selection.forEach(function (n) {
              chosen[n.id] = true;
              if (itemById[n.id]) itemById[n.id].treeList.select(true);
            });
            preselected.forEach(function (id) { if (!chosen[id] && itemById[id]) itemById[id].treeList.select(false); });
          },
        });
      });
    },
  };
})();
