/* aoai-changelog: feature lookup and compare, in the browser, over the static feature index
   (api/features.json, the same file the command line answers from). No server, no CDN. */
(function () {
  "use strict";

  var IGNORED = { "enum": 1, "value": 1, "recursive": 1, "truncated": 1, "document": 1, "path_parameters": 1, "deployment_prefix": 1 };
  var METHODS = /^(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE)$/i;
  var indexPromise = null;

  function loadIndex(api) {
    if (!indexPromise) {
      indexPromise = (window.location.protocol === "file:" ? loadScript(api) : fetch(api + "features.json").then(function (r) {
        if (!r.ok) { throw new Error("cannot load " + api + "features.json (" + r.status + ")"); }
        return r.json();
      })).then(prepare);
    }
    return indexPromise;
  }

  // Opened from disk, the browser refuses fetch(): the same index also ships as a script.
  function loadScript(api) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = api + "features.js";
      script.onload = function () { resolve(window.AOAI_FEATURES); };
      script.onerror = function () { reject(new Error("cannot load " + api + "features.js")); };
      document.head.appendChild(script);
    });
  }

  // The same derivations as featureindex.expand_entry and element_name in Python.
  function elementName(kind, key) {
    if (kind === "operation") { return key.split(" ").slice(1).join(" "); }
    if (kind === "enum") { var i = key.lastIndexOf("="); return i >= 0 ? key.slice(i + 1) : key; }
    var last = key.slice(key.lastIndexOf(" ") + 1);
    while (last.endsWith("[]") || last.endsWith("{}")) { last = last.slice(0, -2); }
    if (last.endsWith(">") && last.indexOf("<") >= 0) { return last.slice(last.lastIndexOf("<") + 1, -1); }
    last = last.slice(last.lastIndexOf(".") + 1);
    return last.slice(last.lastIndexOf(">") + 1);
  }

  function prepare(index) {
    var byName = {}, byKey = {}, entries = {};
    Object.keys(index.elements).forEach(function (identity) {
      var raw = index.elements[identity];
      var key = raw.key || identity;
      var parts = key.split(" ");
      var entry = { identity: identity, key: key, kind: raw.kind, present: raw.present, states: raw.states,
                    operation: parts.slice(0, 2).join(" "), name: elementName(raw.kind, key) };
      entries[identity] = entry;
      (byName[entry.name] = byName[entry.name] || []).push(identity);
      (byKey[key] = byKey[key] || []).push(identity);
    });
    index.entries = entries;
    index.byName = byName;
    index.byKey = byKey;
    return index;
  }

  function stripDeployment(path) { return path.replace(/^\/deployments\/\{[^}\/]+\}(?=\/)/, ""); }
  function shapePath(path) { return path.replace(/\{[^}\/]*\}/g, "{}"); }

  // queries.find, in JavaScript.
  function find(index, feature) {
    feature = feature.trim();
    if (!feature) { return []; }
    if (index.entries[feature]) { return [feature]; }
    if (index.byKey[feature]) { return index.byKey[feature].slice().sort(); }
    var m = feature.match(/^(?:(\S+)\s+)?(\/\S*)(?:\s+(.*))?$/);
    if (m && (!m[1] || METHODS.test(m[1]))) {
      var shape = shapePath(stripDeployment(m[2]).replace(/\{([^}\/]*)\}/g, function (_, n) { return "{" + n.replace(/-/g, "_") + "}"; }));
      if (m[1]) {
        var id = m[1].toUpperCase() + " " + shape + (m[3] ? " " + m[3] : "");
        return index.entries[id] ? [id] : [];
      }
      return Object.keys(index.entries).filter(function (i) {
        return index.entries[i].kind === "operation" && i.split(" ").slice(1).join(" ") === shape;
      }).sort();
    }
    if (index.byName[feature]) { return index.byName[feature].slice().sort(); }
    var lower = feature.toLowerCase();
    return Object.keys(index.byName).filter(function (n) { return n.toLowerCase() === lower; })
      .reduce(function (acc, n) { return acc.concat(index.byName[n]); }, []).sort();
  }

  function positions(entry, timeline) {
    var out = [];
    (entry.present[timeline] || []).forEach(function (run) { for (var p = run[0]; p <= run[1]; p++) { out.push(p); } });
    return out;
  }

  function where(index, id) {
    if (index.timelines.versions.indexOf(id) >= 0) { return ["versions", index.timelines.versions.indexOf(id)]; }
    var timeline = id.split("@")[0];
    var members = index.timelines[timeline] || [];
    return members.indexOf(id) >= 0 ? [timeline, members.indexOf(id)] : null;
  }

  function attrsAt(index, entry, timeline, position) {
    var states = entry.states[timeline] || [];
    var found = null;
    states.forEach(function (s) { if (s[0] <= position) { found = s[1]; } });
    return found === null ? null : index.attrs[found];
  }

  function canonical(value) {
    if (Array.isArray(value)) { return "[" + value.map(canonical).join(",") + "]"; }
    if (value && typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (k) { return JSON.stringify(k) + ":" + canonical(value[k]); }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  function attributeChanges(kind, a, b) {
    var out = [];
    var skip = Object.assign({}, IGNORED);
    if (kind === "operation") {
      var wa = (a.server ? a.server + " " : "") + a.path, wb = (b.server ? b.server + " " : "") + b.path;
      if (wa !== wb) { out.push({ attribute: "path", before: wa, after: wb }); }
      skip.server = 1; skip.path = 1;
    }
    var names = {};
    Object.keys(a).concat(Object.keys(b)).forEach(function (k) { names[k] = 1; });
    Object.keys(names).sort().forEach(function (k) {
      if (skip[k]) { return; }
      if (canonical(a[k]) !== canonical(b[k])) { out.push({ attribute: k, before: a[k], after: b[k] }); }
    });
    return out;
  }

  // The element-level diff: what `aoai-changelog diff A B` reports, less rule ids and verdicts.
  function compare(index, from, to) {
    var wa = where(index, from), wb = where(index, to);
    if (!wa || !wb) { throw new Error("unknown version " + (!wa ? from : to)); }
    var result = { added: [], removed: [], changed: [] };
    Object.keys(index.entries).forEach(function (identity) {
      var e = index.entries[identity];
      var inA = positions(e, wa[0]).indexOf(wa[1]) >= 0, inB = positions(e, wb[0]).indexOf(wb[1]) >= 0;
      if (inB && !inA) { result.added.push(e); }
      else if (inA && !inB) { result.removed.push(e); }
      else if (inA && inB) {
        attributeChanges(e.kind, attrsAt(index, e, wa[0], wa[1]) || {}, attrsAt(index, e, wb[0], wb[1]) || {})
          .forEach(function (c) { c.entry = e; result.changed.push(c); });
      }
    });
    return result;
  }

  // -- rendering ---------------------------------------------------------------------------------
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function strip(index, entry) {
    var present = positions(entry, "versions");
    return index.timelines.versions.map(function (_, i) { return present.indexOf(i) >= 0 ? "■" : "□"; }).join("");
  }

  function lookup(root) {
    var api = root.getAttribute("data-api");
    var form = el("form", { "class": "aoai-form" });
    var input = el("input", { type: "search", id: "aoai-lookup-input", placeholder: "max_completion_tokens, POST /batches, wav, or a full key", size: "60" });
    var button = el("button", { type: "submit", id: "aoai-lookup-go", "class": "md-button md-button--primary" }, "Look up");
    form.appendChild(input); form.appendChild(button);
    var out = el("div", { id: "aoai-lookup-results" });
    root.appendChild(form); root.appendChild(out);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      out.textContent = "Loading the feature index…";
      loadIndex(api).then(function (index) {
        var ids = find(index, input.value);
        out.textContent = "";
        if (!ids.length) {
          var q = input.value.trim().toLowerCase();
          var near = Object.keys(index.byName).filter(function (n) { return q && n.toLowerCase().indexOf(q) >= 0; }).sort().slice(0, 12);
          out.appendChild(el("p", { "class": "aoai-none" }, "No element matches '" + input.value + "'." + (near.length ? " Names containing it: " + near.join(", ") : "")));
          return;
        }
        out.appendChild(el("p", { "class": "aoai-count" }, ids.length + " matching element" + (ids.length > 1 ? "s" : "")));
        var table = el("table", { "class": "aoai-results" });
        var head = el("tr");
        out.appendChild(el("p", { "class": "aoai-legend" }, "Versions, in order: " + index.timelines.versions.join(" · ") + " (■ present, □ absent)."));
        ["element", "kind", "versions", "first seen", "last seen", "absent between", "v1 (dated revisions)"]
          .forEach(function (h) { head.appendChild(el("th", {}, h)); });
        table.appendChild(head);
        ids.forEach(function (identity) {
          var e = index.entries[identity];
          var pos = positions(e, "versions");
          var versions = index.timelines.versions;
          var row = el("tr", { "class": "aoai-match" });
          row.appendChild(el("td", {}, e.key));
          row.appendChild(el("td", {}, e.kind));
          row.appendChild(el("td", { "class": "aoai-strip" }, strip(index, e)));
          row.appendChild(el("td", { "class": "aoai-first" }, pos.length ? versions[pos[0]] : "—"));
          row.appendChild(el("td", { "class": "aoai-last" }, pos.length ? versions[pos[pos.length - 1]] : "—"));
          var gaps = [];
          if (pos.length) { for (var p = pos[0]; p <= pos[pos.length - 1]; p++) { if (pos.indexOf(p) < 0) { gaps.push(versions[p]); } } }
          row.appendChild(el("td", {}, gaps.join(", ") || "—"));
          var v1 = positions(e, "v1");
          var label = v1.length ? index.labels[index.timelines.v1[v1[0]]] : null;
          row.appendChild(el("td", {}, label ? "since " + label.date + " (" + (label.title || "upstream revision") + ")" : "—"));
          table.appendChild(row);
        });
        out.appendChild(table);
      }).catch(function (err) { out.textContent = String(err); });
    });
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) { input.value = initial; button.click(); }
  }

  function compareUi(root) {
    var api = root.getAttribute("data-api");
    var form = el("form", { "class": "aoai-form" });
    var from = el("select", { id: "aoai-from" }), to = el("select", { id: "aoai-to" });
    var go = el("button", { type: "submit", id: "aoai-compare-go", "class": "md-button md-button--primary" }, "Compare");
    form.appendChild(el("label", {}, "From ")); form.appendChild(from);
    form.appendChild(el("label", {}, " to ")); form.appendChild(to); form.appendChild(go);
    var out = el("div", { id: "aoai-compare-results" });
    root.appendChild(form); root.appendChild(out);
    out.textContent = "Loading the feature index…";
    loadIndex(api).then(function (index) {
      out.textContent = "";
      var ids = index.timelines.versions.slice();
      Object.keys(index.timelines).forEach(function (t) { if (t !== "versions") { ids = ids.concat(index.timelines[t]); } });
      ids.forEach(function (id) { from.appendChild(el("option", { value: id }, id)); to.appendChild(el("option", { value: id }, id)); });
      var params = new URLSearchParams(window.location.search);
      from.value = params.get("from") || index.timelines.versions[index.timelines.versions.length - 3];
      to.value = params.get("to") || index.timelines.versions[index.timelines.versions.length - 1];
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        render(index, from.value, to.value);
      });
      if (params.get("from") && params.get("to")) { render(index, from.value, to.value); }
    }).catch(function (err) { out.textContent = String(err); });

    function render(index, a, b) {
      out.textContent = "";
      var r = compare(index, a, b);
      var summary = el("p", { id: "aoai-compare-summary" });
      summary.textContent = a + " → " + b + ": " + r.added.length + " added, " + r.removed.length + " removed, " + r.changed.length + " attribute changes.";
      out.appendChild(summary);
      var hint = el("p", {}, "Breaking-change verdicts and rule ids: ");
      hint.appendChild(el("code", {}, "aoai-changelog diff " + a + " " + b));
      out.appendChild(hint);
      var groups = {};
      function add(kind, entry, text) {
        var g = groups[entry.operation] = groups[entry.operation] || { added: [], removed: [], changed: [] };
        g[kind].push(text);
      }
      r.added.forEach(function (e) { add("added", e, e.key); });
      r.removed.forEach(function (e) { add("removed", e, e.key); });
      r.changed.forEach(function (c) { add("changed", c.entry, c.entry.key + ": " + c.attribute + " " + JSON.stringify(c.before) + " → " + JSON.stringify(c.after)); });
      Object.keys(groups).sort().forEach(function (op) {
        var g = groups[op];
        var section = el("details", { "class": "aoai-op" });
        section.appendChild(el("summary", {}, op + " — " + g.added.length + " added, " + g.removed.length + " removed, " + g.changed.length + " changed"));
        ["added", "removed", "changed"].forEach(function (kind) {
          if (!g[kind].length) { return; }
          section.appendChild(el("p", {}, kind));
          var list = el("ul", { "class": "aoai-" + kind });
          g[kind].slice(0, 300).forEach(function (t) { list.appendChild(el("li", {}, t)); });
          if (g[kind].length > 300) { list.appendChild(el("li", {}, "… and " + (g[kind].length - 300) + " more (JSON API or command line)")); }
          section.appendChild(list);
        });
        out.appendChild(section);
      });
    }
  }

  window.aoaiChangelog = { find: find, compare: compare, loadIndex: loadIndex };
  document.addEventListener("DOMContentLoaded", function () {
    var l = document.getElementById("aoai-lookup");
    if (l) { lookup(l); }
    var c = document.getElementById("aoai-compare");
    if (c) { compareUi(c); }
  });
})();
