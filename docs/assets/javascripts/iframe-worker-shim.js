/*
 * llmkb: Web Workers for pages opened from file://
 *
 * Browsers refuse `new Worker(url)` when the page comes from file://, and
 * Material for MkDocs runs its search in a worker. This script (listed in
 * `extra.polyfills`, so it runs in <head> before the theme's bundle) swaps
 * `window.Worker` for a stand-in that runs the worker script in a hidden,
 * same-origin `about:blank` iframe:
 *
 *   - the worker script is loaded with a <script> tag; a <base> element
 *     pointing at the worker URL makes relative URLs resolve the way they
 *     would inside a real worker;
 *   - the iframe's global gets worker-style `postMessage`, `importScripts`
 *     (asynchronous: returns a Promise that resolves once every script has
 *     run, in order) and `close`;
 *   - messages travel both ways asynchronously as `message` events, copied
 *     into the receiving window with that window's structuredClone (JSON as a
 *     fallback), so neither side shares objects with the other;
 *   - messages posted before the worker script has loaded are queued.
 *
 * Over http(s) nothing is replaced and the browser's own Worker is used.
 * Written for llmkb; not derived from iframe-worker or the theme's sources.
 */
(function () {
  "use strict";

  if (location.protocol !== "file:" || typeof window.Worker !== "function") return;
  if (window.Worker.llmkbFileWorker) return;

  var NativeWorker = window.Worker;

  /* Copy `data` into the realm of window `target`. */
  function copyInto(target, data) {
    if (data === undefined || data === null || typeof data !== "object") return data;
    if (typeof target.structuredClone === "function") {
      try {
        return target.structuredClone(data);
      } catch (err) {
        /* fall through to JSON */
      }
    }
    return target.JSON.parse(JSON.stringify(data));
  }

  function later(fn) {
    window.setTimeout(fn, 0);
  }

  /* Load one classic script into `doc`; resolves after it has run. */
  function loadScript(doc, url) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = url;
      script.async = false;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("llmkb worker: cannot load " + script.src)); };
      doc.head.appendChild(script);
    });
  }

  class FileWorker extends EventTarget {
    constructor(url, options) {
      super();
      if (options && options.type === "module") {
        /* Module workers are out of scope; let the browser decide. */
        return new NativeWorker(url, options);
      }

      this.onmessage = null;
      this.onerror = null;
      this.onmessageerror = null;

      var worker = this;
      var src = new URL(String(url), document.baseURI).href;
      var state = { ready: false, closed: false, queue: [] };
      this._state = state;

      /* Property handlers behave like their native counterparts. */
      ["message", "error", "messageerror"].forEach(function (type) {
        worker.addEventListener(type, function (ev) {
          var handler = worker["on" + type];
          if (typeof handler === "function") handler.call(worker, ev);
        });
      });

      var frame = document.createElement("iframe");
      frame.hidden = true;
      frame.tabIndex = -1;
      frame.title = "search worker";
      frame.setAttribute("aria-hidden", "true");
      frame.style.display = "none";
      (document.body || document.documentElement).appendChild(frame);
      state.frame = frame;

      var scope = frame.contentWindow;
      var doc = frame.contentDocument;
      state.scope = scope;

      var base = doc.createElement("base");
      base.href = src;
      doc.head.appendChild(base);

      /* Worker-side API, installed before the worker script runs. */
      scope.postMessage = function (data) {
        if (state.closed) return;
        var copy = copyInto(window, data);
        later(function () {
          if (!state.closed) worker.dispatchEvent(new MessageEvent("message", { data: copy }));
        });
      };
      scope.importScripts = function () {
        /* Fetched side by side, run in the order given (async = false). */
        var urls = Array.prototype.slice.call(arguments);
        return Promise.all(urls.map(function (url) { return loadScript(doc, url); }));
      };
      scope.close = function () { worker.terminate(); };

      /* Uncaught errors inside the worker surface as `error` events. */
      scope.addEventListener("error", function (ev) {
        worker._fail(ev.message, ev.filename, ev.lineno, ev.colno, ev.error);
      });
      scope.addEventListener("unhandledrejection", function (ev) {
        var reason = ev.reason;
        worker._fail(String(reason && reason.message ? reason.message : reason));
      });

      loadScript(doc, src).then(
        function () {
          state.ready = true;
          var queued = state.queue.splice(0);
          queued.forEach(function (data) { worker._send(data); });
        },
        function (err) { worker._fail(err.message, src); }
      );
    }

    postMessage(data) {
      var state = this._state;
      if (state.closed) return;
      var copy = copyInto(state.scope, data);
      if (state.ready) this._send(copy);
      else state.queue.push(copy);
    }

    terminate() {
      var state = this._state;
      if (state.closed) return;
      state.closed = true;
      state.queue.length = 0;
      if (state.frame && state.frame.parentNode) state.frame.parentNode.removeChild(state.frame);
    }

    _send(copy) {
      var state = this._state;
      later(function () {
        if (state.closed) return;
        state.scope.dispatchEvent(new state.scope.MessageEvent("message", { data: copy }));
      });
    }

    _fail(message, filename, lineno, colno, error) {
      var worker = this;
      if (window.console) console.warn("llmkb worker:", message, filename || "");
      later(function () {
        worker.dispatchEvent(new ErrorEvent("error", {
          message: message || "llmkb worker error",
          filename: filename || "",
          lineno: lineno || 0,
          colno: colno || 0,
          error: error
        }));
      });
    }
  }

  FileWorker.llmkbFileWorker = true;
  window.Worker = FileWorker;
})();
