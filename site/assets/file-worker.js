/* aoai-changelog: the site search from a page opened as a file (file://).
   Browsers refuse `new Worker(url)` for file:// pages, so MkDocs Material's search worker would never
   start ("Initializing search" forever). Here, and only there, a Worker is an invisible same-origin
   frame that runs the same script: messages go in through its `message` event and come back through
   its postMessage. Nothing is fetched from anywhere else (this replaces a script from a CDN). */
(function () {
  "use strict";
  if (window.location.protocol !== "file:") { return; }

  function FileWorker(url) {
    var self = this;
    var listeners = [];
    var queue = [];
    var ready = false;
    var frame = document.createElement("iframe");
    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    frame.title = "search";
    document.documentElement.appendChild(frame);
    var scope = frame.contentWindow;
    scope.postMessage = function (data) {
      window.setTimeout(function () {
        var event = { data: data, target: self };
        if (typeof self.onmessage === "function") { self.onmessage(event); }
        listeners.forEach(function (fn) { fn(event); });
      }, 0);
    };
    var script = scope.document.createElement("script");
    script.src = String(url);
    script.onload = function () {
      ready = true;
      queue.splice(0).forEach(function (data) { self.postMessage(data); });
    };
    scope.document.head.appendChild(script);
    this.onmessage = null;
    this.postMessage = function (data) {
      if (!ready) { queue.push(data); return; }
      scope.dispatchEvent(new scope.MessageEvent("message", { data: data }));
    };
    this.addEventListener = function (type, fn) { if (type === "message") { listeners.push(fn); } };
    this.removeEventListener = function (type, fn) {
      var i = listeners.indexOf(fn);
      if (i >= 0) { listeners.splice(i, 1); }
    };
    this.terminate = function () { frame.remove(); };
  }

  window.Worker = FileWorker;
})();
