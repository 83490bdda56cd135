/* aoai-changelog in the browser: feature lookup, compare, and the folds of operation pages.

   Data: data/*.js, written by sitegen/browserdata.py from changelog/features.json and split so that
   a page loads only what it needs (a lookup one name shard, a compare the two versions it compares).
   They are scripts calling aoaiData(name, value), so that pages opened from disk (file://) work too.

   Safety: every text from the data goes into the page through textContent or an attribute, never
   through innerHTML; every table keyed by data is a Map, so names like `constructor` or `__proto__`
   are ordinary keys. */
(function () {
  "use strict";

  // -- data loading ------------------------------------------------------------------------------
  var pending = new Map();   // name -> {promise, resolve, reject}
  var dataRoot = "";

  window.aoaiData = function (name, value) {
    var slot = pending.get(String(name));
    if (slot) { slot.resolve(value); }
  };

  function load(name) {
    var slot = pending.get(name);
    if (slot) { return slot.promise; }
    slot = {};
    slot.promise = new Promise(function (resolve, reject) { slot.resolve = resolve; slot.reject = reject; });
    pending.set(name, slot);
    var script = document.createElement("script");
    script.src = dataRoot + name + ".js";
    script.async = true;
    script.onerror = function () { slot.reject(new Error("cannot load " + script.src)); };
    document.head.appendChild(script);
    return slot.promise;
  }

  // -- small helpers -----------------------------------------------------------------------------
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function expand(runs) {
    var out = [];
    (runs || []).forEach(function (run) { for (var p = run[0]; p <= run[1]; p++) { out.push(p); } });
    return out;
  }

  // The same hash as browserdata.shard_of in Python: code points of the lower-cased name.
  function shardOf(name, shards) {
    var h = 0;
    for (var ch of name.toLowerCase()) { h = (Math.imul(h, 31) + ch.codePointAt(0)) >>> 0; }
    return h % shards;
  }

  // The version strip: one mark per version (◆/◇ GA, ■/□ preview) and the names in words.
  function stripNode(meta, positions) {
    var present = new Set(positions);
    var marks = "", yes = [], no = [];
    meta.versions.forEach(function (v, i) {
      var ga = v.channel === "ga";
      marks += present.has(i) ? (ga ? "◆" : "■") : (ga ? "◇" : "□");
      (present.has(i) ? yes : no).push(v.id + (ga ? " (GA)" : ""));
    });
    var label = "present in " + (yes.join(", ") || "none") + "; absent in " + (no.join(", ") || "none");
    return el("span", { "class": "aoai-strip", role: "img", title: label, "aria-label": label }, marks);
  }

  function scrollBox(child) {
    var box = el("div", { "class": "aoai-scroll" });
    box.appendChild(child);
    return box;
  }

  function setParams(params) {
    var url = new URL(window.location.href);
    Object.keys(params).forEach(function (k) {
      if (params[k]) { url.searchParams.set(k, params[k]); } else { url.searchParams.delete(k); }
    });
    try { window.history.replaceState(null, "", url.toString()); } catch (e) { /* file:// may refuse */ }
  }

  // Key parts, as keys.element_name / key_parts in Python.
  function elementName(kind, key) {
    if (kind === "operation") { return key.split(" ").slice(1).join(" "); }
    if (kind === "enum") { var i = key.lastIndexOf("="); return i >= 0 ? key.slice(i + 1) : key; }
    var last = key.slice(key.lastIndexOf(" ") + 1);
    while (last.endsWith("[]") || last.endsWith("{}")) { last = last.slice(0, -2); }
    if (last.endsWith(">") && last.indexOf("<") >= 0) { return last.slice(last.lastIndexOf("<") + 1, -1); }
    last = last.slice(last.lastIndexOf(".") + 1);
    return last.slice(last.lastIndexOf(">") + 1);
  }
  function stripDeployment(path) { return path.replace(/^\/deployments\/\{[^}\/]+\}(?=\/)/, ""); }
  function shapePath(path) { return path.replace(/\{[^}\/]*\}/g, "{}"); }
  var METHODS = /^(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE)$/i;

  // -- lookup ------------------------------------------------------------------------------------
  // Rows of a shard: [key, kind, page slug, anchor, {timeline: runs}, element number, identity?].
  function findRows(meta, query) {
    query = query.trim();
    if (!query) { return Promise.resolve([]); }
    var m = query.match(/^(?:(\S+)\s+)?(\/\S*)(?:\s+(.*))?$/);
    if (m && (!m[1] || METHODS.test(m[1]))) {
      var shape = shapePath(stripDeployment(m[2]));
      var ops = meta.operations.filter(function (op) {
        var parts = op[0].split(" ");
        return shapePath(stripDeployment(parts.slice(1).join(" "))) === shape &&
          (!m[1] || parts[0] === m[1].toUpperCase());
      });
      if (!m[3]) {
        return Promise.all(ops.map(function (op) { return rowsNamed(meta, elementName("operation", op[0])); }))
          .then(function (lists) {
            var keys = new Set(ops.map(function (op) { return op[0]; }));
            return [].concat.apply([], lists).filter(function (r) { return r[1] === "operation" && keys.has(r[0]); });
          });
      }
      var wanted = new Set(ops.map(function (op) { return op[0] + " " + m[3]; }));
      var names = new Set();
      wanted.forEach(function (key) { names.add(elementName("field", key)); names.add(elementName("enum", key)); });
      return Promise.all(Array.from(names).map(function (n) { return rowsNamed(meta, n); })).then(function (lists) {
        return [].concat.apply([], lists).filter(function (r) { return wanted.has(r[0]); });
      });
    }
    if (query.indexOf(" ") > 0) {  // a full key whose operation path is spelled another way: by name
      var name = elementName(query.indexOf("=") > 0 ? "enum" : "field", query);
      return rowsNamed(meta, name).then(function (rows) {
        return rows.filter(function (r) { return r[0] === query || r[6] === query; });
      });
    }
    return rowsNamed(meta, query).then(function (rows) {
      var exact = rows.filter(function (r) { return elementName(r[1], r[0]) === query; });
      return exact.length ? exact : rows;
    });
  }

  // A shard row (see browserdata.py) -> [key, kind, page, anchor, {versions, v1}, number, identity?].
  function expandRow(meta, r) {
    var op = meta.operations[r[0]];
    var key = Array.isArray(r[1]) ? String(r[1][0]) : (r[1] ? op[0] + " " + r[1] : op[0]);
    var out = [key, r[2], op[1], r[3], { versions: r[4], v1: r[5] }, r[6]];
    if (r.length > 7) { out.push(r[7]); }
    return out;
  }

  function rowsNamed(meta, name) {
    var shard = shardOf(name, meta.shards);
    return load("find/" + String(shard).padStart(3, "0")).then(function (table) {
      var map = new Map(Object.entries(table));
      return (map.get(name.toLowerCase()) || []).map(function (r) { return expandRow(meta, r); }).filter(function (r) {
        return elementName(r[1], r[0]).toLowerCase() === name.toLowerCase();
      });
    });
  }

  // Operations most relevant first: the ranking of `aoai-changelog has NAME`, mirrored from
  // answers/features.py (_relevance): matched in what a client sends (path, query, header,
  // request), then present in more GA versions, then in more versions, then the shallowest match
  // (dots and [] in the key), then the operation's name. Rows within an operation by key.
  var REQUEST_SIDE = new Set(["request", "query", "header", "path"]);

  function relevance(meta, op, rows) {
    var positions = new Set(), inRequest = 0, shallowest = Infinity;
    rows.forEach(function (r) {
      expand((r[4] || {}).versions).forEach(function (p) { positions.add(p); });
      if (REQUEST_SIDE.has(r[0].split(" ")[2])) { inRequest = 1; }
      shallowest = Math.min(shallowest, r[0].split(".").length - 1 + r[0].split("[]").length - 1);
    });
    var ga = 0;
    positions.forEach(function (p) { if (meta.versions[p].channel === "ga") { ga += 1; } });
    return [-inRequest, -ga, -positions.size, shallowest, op];
  }

  function byKey(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  function rankOperations(meta, groups) {
    return Array.from(groups.entries()).map(function (entry) {
      entry[1].sort(function (a, b) { return byKey(a[0], b[0]); });
      return { op: entry[0], rows: entry[1], rank: relevance(meta, entry[0], entry[1]) };
    }).sort(function (a, b) {
      for (var i = 0; i < a.rank.length; i++) {
        var c = i === a.rank.length - 1 ? byKey(a.rank[i], b.rank[i]) : a.rank[i] - b.rank[i];
        if (c) { return c; }
      }
      return 0;
    });
  }

  var LOOKUP_PAGE = 100;

  function lookupUi(root, meta) {
    var form = el("form", { "class": "aoai-form", role: "search" });
    var label = el("label", { "for": "aoai-lookup-input" }, "Field, parameter, enum value, operation or key");
    var input = el("input", { type: "text", id: "aoai-lookup-input", name: "feature", autocomplete: "off",
                              placeholder: "max_completion_tokens, POST /batches, wav", size: "48" });
    var button = el("button", { type: "submit", id: "aoai-lookup-go", "class": "md-button md-button--primary" }, "Look up");
    form.appendChild(label); form.appendChild(input); form.appendChild(button);
    var status = el("p", { id: "aoai-lookup-status", "aria-live": "polite", "class": "aoai-count" });
    var out = el("div", { id: "aoai-lookup-results" });
    root.appendChild(form); root.appendChild(status); root.appendChild(out);

    function run(query) {
      setParams({ feature: query });
      status.textContent = "Looking up…";
      out.textContent = "";
      findRows(meta, query).then(function (rows) {
        if (!rows.length) {
          status.textContent = "No element matches '" + query + "'. Try a bare name (max_completion_tokens) or an operation (POST /batches).";
          return;
        }
        var groups = new Map();
        rows.forEach(function (r) {
          var op = r[0].split(" ").slice(0, 2).join(" ");
          if (!groups.has(op)) { groups.set(op, []); }
          groups.get(op).push(r);
        });
        var ordered = rankOperations(meta, groups);
        status.textContent = rows.length + " matching element" + (rows.length > 1 ? "s" : "") + " in " +
          ordered.length + " operation" + (ordered.length > 1 ? "s" : "") + ", best match first.";
        // Drawn a page at a time (a common name like `type` matches thousands): every row stays
        // reachable through the "show more" button, and the count above is the whole answer.
        var next = 0;
        function more() {
          var budget = LOOKUP_PAGE;
          while (next < ordered.length && budget > 0) {
            out.appendChild(lookupGroup(meta, ordered[next]));
            budget -= ordered[next].rows.length;
            next += 1;
          }
          if (next < ordered.length) {
            var left = ordered.slice(next).reduce(function (n, g) { return n + g.rows.length; }, 0);
            var button = el("button", { type: "button", "class": "md-button", id: "aoai-lookup-more" },
                            "Show more (" + left + " more elements in " + (ordered.length - next) + " operations)");
            button.addEventListener("click", function () { button.remove(); more(); });
            out.appendChild(button);
          }
        }
        more();
      }).catch(function (err) { status.textContent = String(err && err.message || err); });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); run(input.value); });
    var initial = new URLSearchParams(window.location.search).get("feature");
    if (initial) { input.value = initial; run(initial); }
  }

  function lookupGroup(meta, group) {
    var section = el("section", { "class": "aoai-group" });
    var heading = el("h3", {});
    var page = group.rows[0][2];
    if (page) {
      heading.appendChild(el("a", { href: "operations/" + page + ".html" }, group.op));
    } else {
      heading.textContent = group.op;
    }
    section.appendChild(heading);
    var table = el("table", { "class": "aoai-results" });
    var head = el("tr");
    ["element", "kind", "versions", "first seen", "last seen", "absent between", "v1 (dated revisions)"]
      .forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    var versions = meta.versions.map(function (v) { return v.id; });
    group.rows.forEach(function (r) {
      var present = r[4] || {};
      var pos = expand(present.versions);
      var row = el("tr", { "class": "aoai-match" });
      var cell = el("td", { "data-label": "element" });
      if (r[2]) {
        cell.appendChild(el("a", { href: "operations/" + r[2] + ".html" + (r[3] ? "#" + r[3] : "") }, r[0]));
      } else {
        cell.textContent = r[0];
      }
      row.appendChild(cell);
      row.appendChild(el("td", { "data-label": "kind" }, r[1]));
      row.appendChild(el("td", { "data-label": "versions" })).appendChild(stripNode(meta, pos));
      row.appendChild(el("td", { "class": "aoai-first", "data-label": "first seen" }, pos.length ? versions[pos[0]] : "—"));
      row.appendChild(el("td", { "class": "aoai-last", "data-label": "last seen" }, pos.length ? versions[pos[pos.length - 1]] : "—"));
      var gaps = [];
      var set = new Set(pos);
      if (pos.length) { for (var p = pos[0]; p <= pos[pos.length - 1]; p++) { if (!set.has(p)) { gaps.push(versions[p]); } } }
      row.appendChild(el("td", { "data-label": "absent between" }, gaps.join(", ") || "—"));
      var v1 = expand(present.v1);
      var labels = new Map(Object.entries(meta.labels));
      var first = v1.length ? labels.get(meta.timelines.v1[v1[0]]) : null;
      row.appendChild(el("td", { "data-label": "v1" }, first ? "since " + first.date + " (" + (first.title || "upstream revision") + ")" : "—"));
      body.appendChild(row);
    });
    section.appendChild(scrollBox(table));
    return section;
  }

  // -- compare -----------------------------------------------------------------------------------
  var IGNORED = new Set(["enum", "value", "recursive", "truncated", "document", "path_parameters", "deployment_prefix"]);
  var REQUEST_LOCATIONS = new Set(["path", "query", "header", "request"]);

  // browserdata.packed(): base-32 digits, most significant first; a digit of 32-63 says "more follow".
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  function unpack(text) {
    var out = [], v = 0;
    for (var i = 0; i < text.length; i++) {
      var d = DIGITS.indexOf(text.charAt(i));
      v = v * 32 + (d & 31);
      if (d < 32) { out.push(v); v = 0; }
    }
    return out;
  }

  function decodeVersion(file, table) {
    var states = unpack(file.s), parents = unpack(file.p);
    var numbers = [], n = -1;
    for (var i = 0; i < file.n.length; i += 2) {
      n += file.n[i] + 1;
      for (var j = 0; j < file.n[i + 1]; j++) { numbers.push(n + j); }
      n += file.n[i + 1] - 1;
    }
    var byNumber = new Map();
    numbers.forEach(function (num, i) {
      var state = table.states[states[i]];
      byNumber.set(num, { a: state[0], k: state[1], p: parents[i] ? num - parents[i] : -1, key: "" });
    });
    // Path parameters this version spells otherwise than the newest key ("" = the newest spelling).
    (file.k || []).forEach(function (pair) { var s = byNumber.get(pair[0]); if (s) { s.key = String(pair[1]); } });
    // Operations this version spells otherwise (operation number -> key).
    byNumber.opKeys = new Map((file.o || []).map(function (pair) { return [pair[0], String(pair[1])]; }));
    return byNumber;
  }

  function canonical(value) {
    if (Array.isArray(value)) { return "[" + value.map(canonical).join(",") + "]"; }
    if (value && typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (k) { return JSON.stringify(k) + ":" + canonical(value[k]); }).join(",") + "}";
    }
    return value === undefined ? "null" : JSON.stringify(value);
  }
  function get(obj, k) { return Object.prototype.hasOwnProperty.call(obj, k) ? obj[k] : undefined; }
  function where(attrs) {
    var server = get(attrs, "server");
    return server ? server + " " + get(attrs, "path") : String(get(attrs, "path"));
  }

  function attributeChanges(kind, a, b) {
    var out = [];
    var skip = new Set(IGNORED);
    if (kind === "operation") {
      if (canonical(get(a, "server")) !== canonical(get(b, "server")) || canonical(get(a, "path")) !== canonical(get(b, "path"))) {
        out.push({ attribute: "path", before: where(a), after: where(b) });
      }
      skip.add("server"); skip.add("path");
    }
    var names = new Set(Object.keys(a).concat(Object.keys(b)));
    Array.from(names).sort().forEach(function (k) {
      if (skip.has(k)) { return; }
      if (canonical(get(a, k)) !== canonical(get(b, k))) { out.push({ attribute: k, before: get(a, k), after: get(b, k) }); }
    });
    return out;
  }

  // checker/ in Python, rule for rule (rule ids, and levels and verdicts from meta.rules).
  var SUBJECT = { parameter: "parameter", field: "property", variant: "variant", header: "header", "enum": "enum-value" };
  var LOWER = new Set(["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"]);
  var UPPER = new Set(["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"]);
  var OTHER_LIMITS = new Set(["pattern", "multipleOf", "uniqueItems"]);
  var CHANGED = { format: "format-changed", "default": "default-changed", readOnly: "read-only-changed",
                  writeOnly: "write-only-changed", additionalProperties: "additional-properties-changed" };
  function types(v) { return v === undefined || v === null ? new Set() : new Set(Array.isArray(v) ? v : [v]); }
  function widened(before, after) {
    var old = types(before), now = types(after);
    if (now.has("number")) { now.add("integer"); }
    if (!old.size) { return false; }
    return Array.from(old).every(function (t) { return now.has(t); });
  }
  function big(v) { return v && typeof v === "object" && typeof v.bigint === "string" ? v : null; }
  function numeric(v) { return typeof v === "number" || !!big(v); }
  function less(x, y) {  // x < y, exact for {bigint} values
    if (big(x) || big(y)) {
      var bx = big(x) ? BigInt(x.bigint) : BigInt(Math.trunc(x)), by = big(y) ? BigInt(y.bigint) : BigInt(Math.trunc(y));
      return bx < by;
    }
    return x < y;
  }
  function tightened(attribute, before, after) {
    if (before === undefined || before === null) { return true; }
    if (after === undefined || after === null) { return false; }
    if (LOWER.has(attribute) && numeric(before) && numeric(after)) { return less(before, after); }
    if (UPPER.has(attribute) && numeric(before) && numeric(after)) { return less(after, before); }
    return true;
  }
  function shapeOf(w) { return shapePath(String(w || "")); }

  function ruleOf(c) {
    var side = c.kind === "operation" ? "" : (REQUEST_LOCATIONS.has(c.location) ? "request" : "response");
    if (c.element === "operation") {
      if (c.change === "added") { return "operation-added"; }
      if (c.change === "removed") { return "operation-removed"; }
      if (c.attribute === "path") { return shapeOf(c.before) === shapeOf(c.after) ? "operation-path-parameter-renamed" : "operation-moved"; }
      if (c.attribute === "operationId") { return "operation-id-changed"; }
      if (c.attribute === "deprecated") { return c.after ? "operation-deprecated" : "operation-undeprecated"; }
      return null;
    }
    if (c.element === "body") {
      if (c.location === "request") {
        if (c.change === "added") { return get(c.attrs || {}, "required") ? "request-body-added-required" : "request-body-added"; }
        if (c.change === "removed") { return "request-body-removed"; }
        if (c.attribute === "required") { return c.after ? "request-body-became-required" : "request-body-became-optional"; }
        return mediaRule(c, "request");
      }
      var status = c.location.split(".").slice(1).join(".");
      if (c.change === "added") { return "response-status-added"; }
      if (c.change === "removed") { return status.charAt(0) === "2" ? "response-success-status-removed" : "response-non-success-status-removed"; }
      return mediaRule(c, "response");
    }
    if (c.change === "added" || c.change === "removed") {
      var subject = SUBJECT[c.element];
      var required = !!get(c.attrs || {}, "required");
      if (c.listLifted) { return side + "-" + subject + "-unlisted"; }
      var rule = side + "-" + subject + "-" + c.change;
      if (c.change === "added" && side === "request" && required && (subject === "parameter" || subject === "property")) { rule += "-required"; }
      return rule;
    }
    return valueRule(c, side);
  }

  // checker/values.py: attribute changes of a value (a body's own value is judged as a property's).
  function valueRule(c, side) {
    var prefix = side + "-" + (c.element === "body" ? "property" : SUBJECT[c.element]) + "-";
    var at = c.attribute, before = c.before, after = c.after;
    if (at === "name") { return "request-parameter-renamed"; }
    if (at === "type") {  // no declared type means any value
      var none = function (v) { return v === undefined || v === null; };
      if (side === "request") {
        if (none(after) || widened(before, after)) { return prefix + "type-widened"; }
        var declared = types(after);
        if (none(before) && c.element === "parameter" && declared.size === 1 && declared.has("string")) { return prefix + "type-declared"; }
        return prefix + "type-changed";
      }
      return prefix + (none(before) || widened(after, before) ? "type-narrowed" : "type-changed");
    }
    if (at === "discriminator") {
      if (before === undefined || before === null) { return prefix + "discriminator-added"; }
      return prefix + (after === undefined || after === null ? "discriminator-removed" : "discriminator-changed");
    }
    if (Object.prototype.hasOwnProperty.call(CHANGED, at)) { return prefix + CHANGED[at]; }
    if (at === "required") { return prefix + (after ? "became-required" : "became-optional"); }
    if (at === "nullable") { return prefix + (after ? "became-nullable" : "became-non-nullable"); }
    if (LOWER.has(at) || UPPER.has(at) || OTHER_LIMITS.has(at)) { return prefix + (tightened(at, before, after) ? "limit-tightened" : "limit-relaxed"); }
    if (at === "deprecated") { return prefix + (after ? "deprecated" : "undeprecated"); }
    return null;
  }
  function mediaRule(c, side) {
    if (c.attribute !== "media_types") { return valueRule(c, side); }  // the body's own type, format, ...
    var before = new Set(c.before || []);
    var removed = Array.from(before).filter(function (m) { return (c.after || []).indexOf(m) < 0; });
    return side + (removed.length ? "-media-type-removed" : "-media-type-added");
  }

  function classify(meta, c) {
    var rules = new Map(Object.entries(meta.rules));
    c.rule = ruleOf(c);
    var verdict = rules.get(c.rule) || ["info", false];
    c.level = c.withParent ? "info" : verdict[0];
    c.breaking = c.withParent ? false : !!verdict[1];
    return c;
  }

  function diffVersions(meta, table, fileA, fileB) {
    var a = decodeVersion(fileA, table), b = decodeVersion(fileB, table);
    var attrs = table.attrs;
    var changes = [];
    function base(n, state, change) {
      var kl = meta.kinds[state.k];
      return { n: n, change: change, element: kl[0], kind: kl[0], location: kl[1] };
    }
    b.forEach(function (sb, n) {
      var sa = a.get(n);
      if (!sa) {
        var c = base(n, sb, "added");
        c.attrs = attrs[sb.a];
        c.withParent = sb.p >= 0 && !a.has(sb.p);
        changes.push(c);
      } else {
        if (sa.a !== sb.a) {
          attributeChanges(meta.kinds[sb.k][0], attrs[sa.a], attrs[sb.a]).forEach(function (ch) {
            var c = base(n, sb, "changed");
            c.attribute = ch.attribute; c.before = ch.before; c.after = ch.after; c.withParent = false;
            changes.push(c);
          });
        }
        if (sa.key !== sb.key) {  // a path parameter spelled otherwise (diff/engine.py: the "name" change)
          var r = base(n, sb, "changed");
          r.attribute = "name"; r.before = sa.key; r.after = sb.key; r.withParent = false; r.renamed = true;
          changes.push(r);
        }
      }
    });
    var listing = null;  // elements of b that list enum values (diff/engine.py _mark_lifted_value_lists)
    a.forEach(function (sa, n) {
      if (!b.has(n)) {
        var c = base(n, sa, "removed");
        c.attrs = attrs[sa.a];
        c.withParent = sa.p >= 0 && !b.has(sa.p);
        if (c.element === "enum" && !c.withParent) {
          if (listing === null) {
            listing = new Set();
            b.forEach(function (sb) { if (meta.kinds[sb.k][0] === "enum") { listing.add(sb.p); } });
          }
          c.listLifted = !listing.has(sa.p);
        }
        changes.push(c);
      }
    });
    changes.forEach(function (c) { classify(meta, c); spell(meta, a, b, c); });
    return changes;
  }

  // How `aoai-changelog diff` spells a change's key (diff/engine.py): in the new version, or for a
  // removed element in the old one, under the new version's operation key if it has the operation.
  // c.spell = [operation key, rest of the key or null for the rest kept in ops/SLUG.keys].
  function spell(meta, a, b, c) {
    var op = operationOf(meta, c.n), newest = meta.operations[op][0];
    var opA = a.opKeys.get(op) || newest, opB = b.opKeys.get(op) || newest;
    var first = meta.operations[op][2];
    var opInB = b.has(first) && meta.kinds[b.get(first).k][0] === "operation";
    if (c.change === "removed") {
      var own = a.get(c.n).key;
      c.spell = [opInB ? opB : opA, own ? own.slice(opA.length) : null];
    } else {
      var key = b.get(c.n).key;
      c.spell = [opB, key ? key.slice(opB.length) : null];
    }
  }

  function operationOf(meta, n) {
    var lo = 0, hi = meta.operations.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (meta.operations[mid][2] <= n) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }

  function show(value) {
    if (value === undefined || value === null) { return "(none)"; }
    if (big(value)) { return value.bigint; }
    if (Array.isArray(value)) { return value.join("|"); }
    if (typeof value === "object") { return canonical(value); }
    return String(value);
  }

  var LEVEL_MARK = { error: "▲", warning: "◆", info: "●" };
  var KIND_MARK = { added: "+", removed: "−", changed: "~" };

  function compareUi(root, meta) {
    var ids = meta.timelines.versions.slice();
    Object.keys(meta.timelines).forEach(function (t) { if (t !== "versions") { ids = ids.concat(meta.timelines[t]); } });
    var form = el("form", { "class": "aoai-form" });
    var from = el("select", { id: "aoai-from", name: "from" }), to = el("select", { id: "aoai-to", name: "to" });
    ids.forEach(function (id) { from.appendChild(el("option", { value: id }, id)); to.appendChild(el("option", { value: id }, id)); });
    var go = el("button", { type: "submit", id: "aoai-compare-go", "class": "md-button md-button--primary" }, "Compare");
    form.appendChild(el("label", { "for": "aoai-from" }, "From"));
    form.appendChild(from);
    form.appendChild(el("label", { "for": "aoai-to" }, "to"));
    form.appendChild(to);
    form.appendChild(go);
    var tools = el("div", { "class": "aoai-form" });
    var filter = el("input", { type: "text", id: "aoai-filter", autocomplete: "off", placeholder: "max_completion_tokens or /chat" });
    var breakingOnly = el("input", { type: "checkbox", id: "aoai-breaking-only" });
    tools.appendChild(el("label", { "for": "aoai-filter" }, "Filter (operation or element name)"));
    tools.appendChild(filter);
    tools.appendChild(breakingOnly);
    tools.appendChild(el("label", { "for": "aoai-breaking-only" }, "breaking only"));
    var summary = el("p", { id: "aoai-compare-summary", "aria-live": "polite" });
    var out = el("div", { id: "aoai-compare-results" });
    root.appendChild(form); root.appendChild(tools); root.appendChild(summary); root.appendChild(out);

    var params = new URLSearchParams(window.location.search);
    var versions = meta.timelines.versions;
    from.value = ids.indexOf(params.get("from")) >= 0 ? params.get("from") : versions[versions.length - 3];
    to.value = ids.indexOf(params.get("to")) >= 0 ? params.get("to") : versions[versions.length - 1];
    filter.value = params.get("filter") || "";
    breakingOnly.checked = params.get("breaking") === "1";
    var current = null, ticket = 0;

    function run() {
      var a = from.value, b = to.value, mine = ++ticket;
      setParams({ from: a, to: b });
      summary.textContent = "Comparing " + a + " → " + b + "…";
      Promise.all([load("attrs"), load("v/" + a), load("v/" + b)]).then(function (loaded) {
        if (mine !== ticket) { return; }
        current = { a: a, b: b, changes: diffVersions(meta, loaded[0], loaded[1], loaded[2]) };
        render();
      }).catch(function (err) { summary.textContent = String(err && err.message || err); });
    }

    function render() {
      var changes = current.changes;
      var count = { added: 0, removed: 0, changed: 0 }, nested = { added: 0, removed: 0 }, breaking = 0;
      changes.forEach(function (c) {
        count[c.change] += 1;
        if (c.withParent) { nested[c.change] += 1; }
        if (c.breaking) { breaking += 1; }
      });
      // The numbers of the home page and the change pages (one definition of "added"): elements
      // added or removed on their own, attribute changes, and apart, those that came with their parent.
      var withParent = nested.added + nested.removed;
      summary.textContent = current.a + " → " + current.b + ": " + (changes.length - withParent) + " changes: " +
        (count.added - nested.added) + " added, " + (count.removed - nested.removed) + " removed, " +
        count.changed + " changed; +" + withParent + " with their parent; " + breaking + " breaking. " +
        "Added and removed count elements on their own; the " + withParent + " that came or went with " +
        "their parent are listed too (" + changes.length + " in all).";
      applyFilter();
    }

    function applyFilter() {
      if (!current) { return; }
      var text = filter.value.trim();
      setParams({ filter: text, breaking: breakingOnly.checked ? "1" : "" });
      var wanted = text ? rowsNamed(meta, text).then(function (rows) { return new Set(rows.map(function (r) { return r[5]; })); })
                        : Promise.resolve(null);
      wanted.then(function (numbers) { draw(text.toLowerCase(), numbers); });
    }

    function draw(text, numbers) {
      out.textContent = "";
      var groups = new Map();
      current.changes.forEach(function (c) {
        if (breakingOnly.checked && !c.breaking) { return; }
        var op = operationOf(meta, c.n);
        var opKey = meta.operations[op][0];
        if (text && !(numbers && numbers.has(c.n)) && opKey.toLowerCase().indexOf(text) < 0) { return; }
        if (!groups.has(op)) { groups.set(op, []); }
        groups.get(op).push(c);
      });
      var shown = 0;
      var ordered = Array.from(groups.entries()).map(function (g) {
        var br = g[1].filter(function (c) { return c.breaking; }).length;
        shown += g[1].length;
        return { op: g[0], changes: g[1], breaking: br };
      }).sort(function (x, y) {
        return (y.breaking > 0) - (x.breaking > 0) || (meta.operations[x.op][0] < meta.operations[y.op][0] ? -1 : 1);
      });
      var note = el("p", { "class": "aoai-count", id: "aoai-compare-shown" },
        shown + " of " + current.changes.length + " changes shown, in " + ordered.length + " operations" +
        (text || breakingOnly.checked ? " (filtered)" : "") + ". Rule ids and verdicts are those of ");
      note.appendChild(el("code", {}, "aoai-changelog diff " + current.a + " " + current.b));
      note.appendChild(document.createTextNode("."));
      out.appendChild(note);
      ordered.forEach(function (g) { out.appendChild(compareGroup(meta, g, text && numbers ? true : false)); });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    from.addEventListener("change", run);
    to.addEventListener("change", run);
    var timer = null;
    filter.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(applyFilter, 250); });
    breakingOnly.addEventListener("change", applyFilter);
    run();
  }

  var PAGE = 300;

  function compareGroup(meta, group, open) {
    var op = meta.operations[group.op];
    var details = el("details", { "class": "aoai-op" });
    var head = el("summary", {});
    head.appendChild(el("code", {}, op[0]));
    var counts = { added: 0, removed: 0, changed: 0 }, withParent = 0;  // counted as the headline counts
    group.changes.forEach(function (c) { if (c.withParent) { withParent += 1; } else { counts[c.change] += 1; } });
    head.appendChild(document.createTextNode(" — " + counts.added + " added, " + counts.removed + " removed, " + counts.changed + " changed" +
                                             (withParent ? ", +" + withParent + " with their parent " : " ")));
    if (group.breaking) { head.appendChild(el("span", { "class": "aoai-badge aoai-error" }, "▲ " + group.breaking + " breaking")); }
    details.appendChild(head);
    var list = el("ul", { "class": "aoai-changes" });
    details.appendChild(list);
    var filled = false;
    function fill() {
      if (filled) { return; }
      filled = true;
      list.appendChild(el("li", {}, "Loading element keys…"));
      load(keysFile(op)).then(function (keys) {
        list.textContent = "";
        var sorted = group.changes.slice().sort(function (x, y) { return (y.breaking - x.breaking) || (x.n - y.n); });
        var next = 0;
        function more() {
          sorted.slice(next, next + PAGE).forEach(function (c) { list.appendChild(changeItem(op, keys, c)); });
          next += PAGE;
          if (next < sorted.length) {
            var li = el("li", { "class": "aoai-more" });
            var button = el("button", { type: "button", "class": "md-button" }, "Show " + Math.min(PAGE, sorted.length - next) + " more (" + (sorted.length - next) + " left)");
            button.addEventListener("click", function () { li.remove(); more(); });
            li.appendChild(button);
            list.appendChild(li);
          }
        }
        more();
      }).catch(function (err) { list.textContent = String(err && err.message || err); });
    }
    details.addEventListener("toggle", function () { if (details.open) { fill(); } });
    if (open) { details.open = true; }
    return details;
  }

  // keys[i]: the key after the operation's, or [whole key, length of its operation part] when
  // spelled with another path.
  function keyOf(op, keys, n) {
    var k = keys[n - op[2]];
    if (Array.isArray(k)) { return String(k[0]); }
    return k ? op[0] + " " + k : op[0];
  }
  // An operation's element keys (operations without a page name the file in their 5th item).
  function keysFile(op) { return "ops/" + (op[1] || op[4]) + ".keys"; }
  // A change's key as the CLI spells it (see spell()).
  function changeKey(op, keys, c) {
    if (!c.spell) { return keyOf(op, keys, c.n); }
    if (c.spell[1] !== null) { return c.spell[0] + c.spell[1]; }
    var k = keys[c.n - op[2]];
    var rest = Array.isArray(k) ? String(k[0]).slice(k.length > 1 ? k[1] : String(k[0]).split(" ").slice(0, 2).join(" ").length)
                                : (k ? " " + k : "");
    return c.spell[0] + rest;
  }

  function lastWord(key) { return key.slice(key.lastIndexOf(" ") + 1); }

  function changeItem(op, keys, c) {
    var key = changeKey(op, keys, c);
    var li = el("li", { "class": "aoai-change aoai-" + c.level });
    li.appendChild(el("span", { "class": "aoai-level aoai-level-" + c.level }, LEVEL_MARK[c.level] + " " + (c.breaking ? "breaking" : c.level)));
    li.appendChild(document.createTextNode(" " + KIND_MARK[c.change] + " " + c.change + " "));
    li.appendChild(el("code", {}, key));
    var detail = "";
    if (c.renamed) {  // before/after: the keys on each side ("" = the newest spelling): their last word
      var newest = keyOf(op, keys, c.n);
      detail = ": name " + lastWord(c.before || newest) + " → " + lastWord(c.after || newest);
    } else if (c.change === "changed") { detail = ": " + c.attribute + " " + show(c.before) + " → " + show(c.after); }
    if (c.withParent) { detail += " (with its parent)"; }
    li.appendChild(document.createTextNode(detail + " · "));
    li.appendChild(el("code", { "class": "aoai-rule" }, c.rule || "?"));
    return li;
  }

  // -- operation pages: folds filled on demand ----------------------------------------------------
  function operationUi(root, meta) {
    var base = root.getAttribute("data-ops");
    var folds = Array.prototype.slice.call(root.querySelectorAll("details.aoai-fold"));
    folds.forEach(function (fold) {
      fold.addEventListener("toggle", function () { if (fold.open) { fillFold(meta, base, fold); } });
    });
    function reveal() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      if (!/^e-[0-9a-f]{10}$/.test(id)) { return; }
      load(base).then(function (index) {
        var hex = id.slice(2), at = -1;
        index.anchors.forEach(function (s, g) {
          for (var i = s.indexOf(hex); i >= 0 && at < 0; i = s.indexOf(hex, i + 1)) { if (i % 10 === 0) { at = g; } }
        });
        if (at < 0) { return; }
        var fold = folds[at];
        fold.open = true;
        fillFold(meta, base, fold).then(function () {
          var row = document.getElementById(id);
          if (!row) { return; }
          Array.prototype.forEach.call(document.querySelectorAll(".aoai-target"), function (r) { r.classList.remove("aoai-target"); });
          row.classList.add("aoai-target");
          row.setAttribute("tabindex", "-1");
          row.scrollIntoView({ block: "center" });
          row.focus({ preventScroll: true });
        });
      });
    }
    window.addEventListener("hashchange", reveal);
    reveal();
  }

  function fillFold(meta, base, fold) {
    if (fold.aoaiFilled) { return fold.aoaiFilled; }
    var body = fold.querySelector(".aoai-fold-body");
    body.textContent = "Loading…";
    fold.aoaiFilled = load(base + "/" + fold.getAttribute("data-fold")).then(function (rows) {
      body.textContent = "";
      var table = el("table", { "class": "aoai-matrix" });
      var head = el("tr");
      ["element", "kind", "versions", "history"].forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
      table.appendChild(el("thead")).appendChild(head);
      var tbody = table.appendChild(el("tbody"));
      rows.forEach(function (r) {
        var tr = el("tr", { id: r[2] });
        tr.appendChild(el("td", { "data-label": "element" })).appendChild(el("code", {}, r[0]));
        tr.appendChild(el("td", { "data-label": "kind" }, r[1]));
        tr.appendChild(el("td", { "data-label": "versions" })).appendChild(stripNode(meta, expand(r[3])));
        tr.appendChild(el("td", { "data-label": "history" }, r[4]));
        tbody.appendChild(tr);
      });
      body.appendChild(scrollBox(table));
    }).catch(function (err) { body.textContent = String(err && err.message || err); });
    return fold.aoaiFilled;
  }

  // -- change pages: each operation's lines drawn when its fold opens -------------------------------
  function changesUi(root) {
    var base = root.getAttribute("data-changes");
    Array.prototype.forEach.call(root.querySelectorAll("details.aoai-fold"), function (fold) {
      fold.addEventListener("toggle", function () {
        if (!fold.open || fold.aoaiFilled) { return; }
        var body = fold.querySelector(".aoai-fold-body");
        body.textContent = "Loading…";
        var page = fold.getAttribute("data-page");
        fold.aoaiFilled = load(base + "/" + fold.getAttribute("data-fold")).then(function (locations) {
          body.textContent = "";
          locations.forEach(function (loc) {
            body.appendChild(el("p", {})).appendChild(el("strong", {}, loc[0]));
            var list = body.appendChild(el("ul", { "class": "aoai-changes" }));
            loc[1].forEach(function (c) {
              // [level, breaking, subject, rest, rule, nested, anchor]
              var li = list.appendChild(el("li", { "class": "aoai-change aoai-" + c[0] }));
              li.appendChild(el("span", { "class": "aoai-level aoai-level-" + c[0] }, LEVEL_MARK[c[0]] + " " + (c[1] ? "breaking" : c[0])));
              li.appendChild(document.createTextNode(" "));
              var subject = el("code", {}, c[2]);
              if (page) {
                var link = el("a", { href: "../operations/" + page + ".html" + (c[6] ? "#" + c[6] : "") });
                link.appendChild(subject);
                li.appendChild(link);
              } else {
                li.appendChild(subject);
              }
              li.appendChild(document.createTextNode(c[3] + (c[5] ? " (+" + c[5] + " nested)" : "") + " · "));
              li.appendChild(el("code", { "class": "aoai-rule" }, c[4]));
            });
          });
        }).catch(function (err) { body.textContent = String(err && err.message || err); });
      });
    });
  }

  // -- start -------------------------------------------------------------------------------------
  function start() {
    var lookupRoot = document.getElementById("aoai-lookup");
    var compareRoot = document.getElementById("aoai-compare");
    var opRoot = document.getElementById("aoai-operation");
    var changesRoot = document.getElementById("aoai-changes");
    var root = lookupRoot || compareRoot || opRoot || changesRoot;
    if (!root) { return; }
    dataRoot = root.getAttribute("data-root") || "data/";
    if (changesRoot) { changesUi(changesRoot); return; }
    load("meta").then(function (meta) {
      if (lookupRoot) { lookupUi(lookupRoot, meta); }
      if (compareRoot) { compareUi(compareRoot, meta); }
      if (opRoot) { operationUi(opRoot, meta); }
    }).catch(function (err) { root.textContent = String(err && err.message || err); });
  }

  // For tests and the curious: the same diff the compare page shows, with element keys.
  function diffWithKeys(a, b) {
    return Promise.all([load("meta"), load("attrs"), load("v/" + a), load("v/" + b)]).then(function (got) {
      var meta = got[0], changes = diffVersions(meta, got[1], got[2], got[3]);
      var ops = Array.from(new Set(changes.map(function (c) { return operationOf(meta, c.n); })));
      return Promise.all(ops.map(function (op) { return load(keysFile(meta.operations[op])); })).then(function (keys) {
        var byOp = new Map(ops.map(function (op, i) { return [op, keys[i]]; }));
        return changes.map(function (c) {
          var op = meta.operations[operationOf(meta, c.n)];
          return { key: changeKey(op, byOp.get(operationOf(meta, c.n)), c), kind: c.change, attribute: c.attribute || null,
                   rule: c.rule, level: c.level, breaking: c.breaking, with_parent: c.withParent };
        });
      });
    });
  }

  // For tests: the verdict on one change given as `aoai-changelog diff --format json` writes it.
  function judgeChange(change) {
    return load("meta").then(function (meta) {
      var c = classify(meta, { element: change.element, kind: change.element, change: change.kind, location: change.location,
                               attribute: change.attribute, before: change.before, after: change.after,
                               attrs: change.kind === "removed" ? change.before : change.after, withParent: !!change.with_parent });
      return { rule: c.rule, level: c.level, breaking: c.breaking };
    });
  }

  window.aoaiChangelog = { load: load, shardOf: shardOf, elementName: elementName, diff: diffWithKeys, judge: judgeChange };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
