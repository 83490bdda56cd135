/* aoai-changelog: "check a body" in the browser. The same verdicts as `aoai-changelog check`:
   each version's request schema (cut from the snapshots into api/check/schemas/, one small file per
   operation and version, fetched only when needed), validated here with the JSON Schema keywords the
   snapshots use, reasons worded as the command line words them. No server, no CDN. */
(function (root) {
  "use strict";

  var QUOTE_LIMIT = 80, MAX_REASONS = 20;

  function quote(value) {
    var text = JSON.stringify(value);
    if (text === undefined) { text = String(value); }
    return text.length <= QUOTE_LIMIT ? text : text.slice(0, QUOTE_LIMIT - 1) + "…";
  }

  function where(path) {
    var out = "";
    path.forEach(function (step) {
      out += typeof step === "number" ? "[" + step + "]" : (out ? "." + step : String(step));
    });
    return out || "(body)";
  }

  function typeOf(v) {
    if (v === null) { return "null"; }
    if (Array.isArray(v)) { return "array"; }
    if (typeof v === "number") { return Number.isInteger(v) ? "integer" : "number"; }
    return typeof v === "object" ? "object" : typeof v;
  }

  function hasType(v, t) {
    var actual = typeOf(v);
    return actual === t || (t === "number" && actual === "integer");
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function resolve(bundle, ref) {
    if (ref.indexOf("#/") !== 0) { return null; }
    var node = bundle;
    var parts = ref.slice(2).split("/");
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i].replace(/~1/g, "/").replace(/~0/g, "~");
      if (node === null || typeof node !== "object" || !(part in node)) { return null; }
      node = node[part];
    }
    return node;
  }

  // One error: {kind, path, ...}; explain() turns it into the command line's words.
  function validate(bundle, schema, inst, path, active) {
    var errors = [];
    if (schema === true || schema === undefined || schema === null) { return errors; }
    if (schema === false) { return [{ kind: "false", path: path }]; }
    if (typeof schema.$ref === "string") {
      var target = resolve(bundle, schema.$ref);
      if (target !== null) { errors = errors.concat(validate(bundle, target, inst, path, active)); }
    }
    var t = schema.type;
    if (t !== undefined) {
      var types = Array.isArray(t) ? t : [t];
      if (!types.some(function (x) { return hasType(inst, x); })) {
        return errors.concat([{ kind: "type", path: path, expected: types, got: typeOf(inst) }]);
      }
    }
    if (schema["enum"] && !schema["enum"].some(function (v) { return same(v, inst); })) {
      errors.push({ kind: "enum", path: path, value: inst, allowed: schema["enum"] });
    }
    if ("const" in schema && !same(schema["const"], inst)) {
      errors.push({ kind: "enum", path: path, value: inst, allowed: [schema["const"]] });
    }
    (schema.allOf || []).forEach(function (sub) { errors = errors.concat(validate(bundle, sub, inst, path, active)); });
    ["anyOf", "oneOf"].forEach(function (word) {
      if (!schema[word]) { return; }
      var branches = schema[word].map(function (sub) { return validate(bundle, sub, inst, path, active); });
      var fitting = branches.filter(function (b) { return b.length === 0; }).length;
      if (fitting === 0) { errors.push({ kind: "union", path: path, value: inst, branches: branches }); }
      else if (word === "oneOf" && fitting > 1) { errors.push({ kind: "ambiguous", path: path }); }
    });
    var disc = schema.discriminator;
    if (disc && !schema.oneOf && !schema.anyOf && typeOf(inst) === "object") {
      var tag = inst[disc.propertyName];
      var ref = typeof tag === "string" && disc.mapping ? disc.mapping[tag] : undefined;
      var token = ref + "\u0000" + path.join("/");
      if (typeof ref === "string" && active.indexOf(token) < 0) {
        var mapped = resolve(bundle, ref);
        if (mapped !== null) {
          errors = errors.concat(validate(bundle, mapped, inst, path, active.concat([token])));
        }
      }
    }
    var kind = typeOf(inst);
    if (kind === "object") {
      var props = schema.properties || {};
      (schema.required || []).forEach(function (name) {
        if (!(name in inst)) { errors.push({ kind: "required", path: path, field: name }); }
      });
      Object.keys(inst).forEach(function (name) {
        var child = path.concat([name]);
        if (name in props) {
          errors = errors.concat(validate(bundle, props[name], inst[name], child, active));
        } else if (schema.additionalProperties === false) {
          errors.push({ kind: "extra", path: path, field: name });
        } else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
          errors = errors.concat(validate(bundle, schema.additionalProperties, inst[name], child, active));
        } else if (schema.unevaluatedProperties !== undefined && !schema.allOf && !schema.anyOf && !schema.oneOf && !schema.$ref) {
          if (schema.unevaluatedProperties === false) { errors.push({ kind: "extra", path: path, field: name }); }
          else { errors = errors.concat(validate(bundle, schema.unevaluatedProperties, inst[name], child, active)); }
        }
      });
      var count = Object.keys(inst).length;
      if (schema.minProperties !== undefined && count < schema.minProperties) { errors.push({ kind: "message", path: path, text: "has too few properties" }); }
      if (schema.maxProperties !== undefined && count > schema.maxProperties) { errors.push({ kind: "message", path: path, text: "has too many properties" }); }
    } else if (kind === "array") {
      var prefix = schema.prefixItems || [];
      inst.forEach(function (item, i) {
        var sub = i < prefix.length ? prefix[i] : schema.items;
        if (sub !== undefined) { errors = errors.concat(validate(bundle, sub, item, path.concat([i]), active)); }
      });
      if (schema.minItems !== undefined && inst.length < schema.minItems) { errors.push({ kind: "message", path: path, text: quote(inst) + (schema.minItems === 1 ? " should be non-empty" : " is too short") }); }
      if (schema.maxItems !== undefined && inst.length > schema.maxItems) { errors.push({ kind: "message", path: path, text: quote(inst) + " is too long" }); }
    } else if (kind === "integer" || kind === "number") {
      if (schema.minimum !== undefined && inst < schema.minimum) { errors.push({ kind: "message", path: path, text: inst + " is less than the minimum of " + schema.minimum }); }
      if (schema.maximum !== undefined && inst > schema.maximum) { errors.push({ kind: "message", path: path, text: inst + " is greater than the maximum of " + schema.maximum }); }
      if (typeof schema.exclusiveMinimum === "number" && inst <= schema.exclusiveMinimum) { errors.push({ kind: "message", path: path, text: inst + " is less than or equal to the minimum of " + schema.exclusiveMinimum }); }
      if (typeof schema.exclusiveMaximum === "number" && inst >= schema.exclusiveMaximum) { errors.push({ kind: "message", path: path, text: inst + " is greater than or equal to the maximum of " + schema.exclusiveMaximum }); }
    } else if (kind === "string") {
      var length = Array.from(inst).length;
      if (schema.minLength !== undefined && length < schema.minLength) { errors.push({ kind: "message", path: path, text: quote(inst) + (schema.minLength === 1 ? " should be non-empty" : " is too short") }); }
      if (schema.maxLength !== undefined && length > schema.maxLength) { errors.push({ kind: "message", path: path, text: quote(inst) + " is too long" }); }
      if (typeof schema.pattern === "string") {
        try {
          if (!new RegExp(schema.pattern, "u").test(inst)) { errors.push({ kind: "message", path: path, text: quote(inst) + " does not match " + quote(schema.pattern) }); }
        } catch (e) { /* a pattern this browser cannot read: not the body's fault */ }
      }
    }
    return errors;
  }

  function explain(error) {
    var at = where(error.path);
    switch (error.kind) {
      case "required": return ["missing required field `" + error.field + "`" + (error.path.length ? " at " + at : "")];
      case "enum": return ["value " + quote(error.value) + " not allowed at " + at + " (allowed: " + error.allowed.map(quote).join(", ") + ")"];
      case "type": return ["wrong type at " + at + ": expected " + error.expected.join(" or ") + ", got " + error.got];
      case "extra": return ["field not allowed at " + at + ": '" + error.field + "' was unexpected"];
      case "ambiguous": return ["at " + at + ": the value fits more than one of the allowed shapes"];
      case "union": return explainUnion(error);
      case "false": return ["at " + at + ": no value is allowed here"];
      default: return ["at " + at + ": " + error.text];
    }
  }

  // A union the body fits none of: the tag values allowed, the types allowed, or the variant it was meant to be.
  function explainUnion(error) {
    var branches = error.branches;
    var tagged = branches.map(function (errs) { return errs.filter(function (e) { return e.kind === "enum"; }); });
    if (tagged.every(function (t) { return t.length > 0; })) {
      var paths = {};
      tagged.forEach(function (t) { t.forEach(function (e) { paths[JSON.stringify(e.path)] = 1; }); });
      if (Object.keys(paths).length === 1) {
        var allowed = [];
        tagged.forEach(function (t) { t[0].allowed.forEach(function (v) { if (!allowed.some(function (a) { return same(a, v); })) { allowed.push(v); } }); });
        var first = tagged[0][0];
        return ["value " + quote(first.value) + " not allowed at " + where(first.path) + " (allowed: " + allowed.map(quote).join(", ") + ")"];
      }
    }
    var here = JSON.stringify(error.path);
    var shapes = branches.map(function (errs) { return errs.filter(function (e) { return e.kind === "type" && JSON.stringify(e.path) === here; }); });
    if (shapes.every(function (s) { return s.length > 0; })) {
      var expected = [];
      shapes.forEach(function (s) { s.forEach(function (e) { e.expected.forEach(function (x) { if (expected.indexOf(x) < 0) { expected.push(x); } }); }); });
      return ["wrong type at " + where(error.path) + ": expected " + expected.join(" or ") + ", got " + typeOf(error.value)];
    }
    var best = 0;
    function rank(i) { return [tagged[i].length ? 1 : 0, shapes[i].length ? 1 : 0, branches[i].length, i]; }
    for (var i = 1; i < branches.length; i++) {
      var a = rank(i), b = rank(best);
      for (var k = 0; k < a.length; k++) { if (a[k] !== b[k]) { if (a[k] < b[k]) { best = i; } break; } }
    }
    var reasons = [];
    branches[best].forEach(function (e) { explain(e).forEach(function (r) { if (reasons.indexOf(r) < 0) { reasons.push(r); } }); });
    return reasons;
  }

  function unknownFields(bundle, body) {
    var known = {}, open = {}, hasChildren = {};
    bundle.known.forEach(function (p) { known[p] = 1; });
    bundle.open.forEach(function (p) { open[p] = 1; });
    bundle.known.forEach(function (p) { var i = p.lastIndexOf("."); if (i >= 0) { hasChildren[p.slice(0, i)] = 1; } });
    Object.keys(known).concat(Object.keys(hasChildren)).forEach(function (p) {
      if (p.slice(-2) === "[]" || p.slice(-2) === "{}") { hasChildren[p.slice(0, -2)] = 1; }
    });
    var found = {};
    function walk(value, path, shown) {
      if (open[path]) { return; }
      if (typeOf(value) === "object") {
        if (path && (known[path + "{}"] || hasChildren[path + "{}"])) {
          Object.keys(value).forEach(function (name) { walk(value[name], path + "{}", shown.concat([name])); });
          return;
        }
        if (path && !hasChildren[path]) { return; }
        Object.keys(value).forEach(function (name) {
          var child = path ? path + "." + name : name;
          if (known[child]) { walk(value[name], child, shown.concat([name])); }
          else { found[where(shown.concat([name]))] = 1; }
        });
      } else if (typeOf(value) === "array" && (known[path + "[]"] || hasChildren[path + "[]"])) {
        value.forEach(function (item, i) { walk(item, path + "[]", shown.concat([i])); });
      }
    }
    if (bundle.known.length) { walk(body, "", []); }
    return Object.keys(found).sort();
  }

  function check(bundle, body) {
    var reasons = [];
    validate(bundle, bundle.request, body, [], []).forEach(function (e) {
      explain(e).forEach(function (r) { if (reasons.indexOf(r) < 0) { reasons.push(r); } });
    });
    reasons.sort();
    if (reasons.length > MAX_REASONS) { reasons = reasons.slice(0, MAX_REASONS).concat(["… and " + (reasons.length - MAX_REASONS) + " more"]); }
    return { result: reasons.length ? "rejected" : "accepted", reasons: reasons, unknown_fields: unknownFields(bundle, body) };
  }

  var api = { check: check, where: where };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  if (typeof document === "undefined") { return; }
  root.AOAI_CHECK = api;

  // -- the page ---------------------------------------------------------------------------------
  var loaded = {};
  root.AOAI_CHECK_LOADED = function (id, data) { if (loaded[id]) { loaded[id].resolve(data); } };

  function load(base, name, id) {
    if (!loaded[id]) {
      var deferred = {};
      deferred.promise = new Promise(function (resolve, reject) { deferred.resolve = resolve; deferred.reject = reject; });
      loaded[id] = deferred;
      if (window.location.protocol === "file:") {  // fetch() is refused from disk: the same data as a script
        var script = document.createElement("script");
        script.src = base + name + ".js";
        script.onerror = function () { deferred.reject(new Error("cannot load " + base + name + ".js")); };
        document.head.appendChild(script);
      } else {
        fetch(base + name + ".json").then(function (r) {
          if (!r.ok) { throw new Error("cannot load " + base + name + ".json (" + r.status + ")"); }
          return r.json();
        }).then(deferred.resolve, deferred.reject);
      }
    }
    return loaded[id].promise;
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function start(host) {
    var base = host.getAttribute("data-api");
    var form = el("form"), opLabel = el("label", "Operation "), op = el("select"), verLabel = el("label", " Version "), ver = el("select");
    var body = el("textarea"), go = el("button", "Check", "md-button md-button--primary"), status = el("p"), out = el("div");
    op.id = "aoai-check-operation"; ver.id = "aoai-check-version"; body.id = "aoai-check-body"; go.type = "submit";
    body.rows = 12; body.style.width = "100%"; body.setAttribute("aria-label", "request body (JSON)");
    body.value = '{\n  "model": "gpt-4o-mini",\n  "messages": [{"role": "developer", "content": "Answer in one line."}, {"role": "user", "content": "Hi"}],\n  "max_completion_tokens": 100\n}';
    opLabel.appendChild(op); verLabel.appendChild(ver);
    [opLabel, verLabel, el("br"), body, go].forEach(function (n) { form.appendChild(n); });
    host.appendChild(form); host.appendChild(status); host.appendChild(out);
    status.setAttribute("role", "status");
    load(base, "index", "index").then(function (index) {
      Object.keys(index.operations).forEach(function (name) { var o = el("option", name); o.value = name; op.appendChild(o); });
      op.value = index.operations["POST /chat/completions"] ? "POST /chat/completions" : op.value;
      var all = el("option", "every version"); all.value = ""; ver.appendChild(all);
      index.versions.forEach(function (v) { var o = el("option", v); o.value = v; ver.appendChild(o); });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        run(base, index, op.value, ver.value, body.value, status, out);
      });
    }, function (err) { status.textContent = String(err.message || err); });
  }

  function run(base, index, operation, version, text, status, out) {
    var data;
    out.textContent = "";
    try { data = JSON.parse(text); } catch (e) { status.textContent = "The body is not JSON: " + e.message; return; }
    var bundles = index.operations[operation] || {};
    var versions = version ? [version] : index.versions;
    var table = el("table"), head = el("tr");
    ["version", "result", "reasons", "fields this version does not know"].forEach(function (h) { head.appendChild(el("th", h)); });
    var box = el("div", undefined, "aoai-scroll");  // a wide table scrolls inside its box, never the page
    table.appendChild(head); box.appendChild(table); out.appendChild(box);
    var rows = versions.map(function (v) {
      var tr = el("tr"); tr.appendChild(el("td", v)); tr.appendChild(el("td", "…")); tr.appendChild(el("td")); tr.appendChild(el("td"));
      tr.setAttribute("data-version", v); table.appendChild(tr); return tr;
    });
    var accepted = 0, done = 0;
    status.textContent = "Checking " + operation + "…";
    // One version after another, in timeline order: each row answers as soon as its schema arrives.
    versions.reduce(function (previous, v, i) {
      return previous.then(function () {
        var cells = rows[i].children;
        if (!bundles[v]) { cells[1].textContent = "no such operation (or no JSON body)"; done++; return null; }
        return load(base, "schemas/" + bundles[v], bundles[v]).then(function (bundle) {
          var verdict = check(bundle, data);
          cells[1].textContent = verdict.result;
          rows[i].className = verdict.result;
          var list = el("ul");
          verdict.reasons.forEach(function (r) { list.appendChild(el("li", r)); });
          cells[2].appendChild(list);
          cells[3].textContent = verdict.unknown_fields.join(", ");
          if (verdict.result === "accepted") { accepted++; }
          done++;
        }, function (err) { cells[1].textContent = String(err.message || err); done++; });
      });
    }, Promise.resolve()).then(function () {
      status.textContent = operation + ": accepted by " + accepted + " of " + versions.length + " version" + (versions.length === 1 ? "" : "s") + ".";
    });
  }

  function init() {
    var host = document.getElementById("aoai-check");
    if (host && !host.getAttribute("data-started")) { host.setAttribute("data-started", "1"); start(host); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  if (root.document$ && root.document$.subscribe) { root.document$.subscribe(init); }  // instant navigation
}(typeof window !== "undefined" ? window : this));
