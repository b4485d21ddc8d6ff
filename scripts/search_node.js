#!/usr/bin/env node
/*
 * Run the site's search worker (docs/assets/javascripts/search-worker.js) in Node, without
 * a browser: for fast ranking experiments and scripts/bench_search.py --engine node.
 *
 *   node scripts/search_node.js SITE_DIR < queries.json > results.json
 *
 * queries.json: ["query", …]; results.json: [{q, links: [location, …], ms}, …] where the
 * links are in the order the theme shows them (each group's head, then its other items).
 */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const site = process.argv[2];
const scope = { console: console, postMessage() {}, setTimeout: setTimeout };
scope.self = scope;
const context = vm.createContext(scope);
function load(file) {
  vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
}
load(path.join(site, "assets/search/search-data.js"));
load(path.join(site, "assets/javascripts/search-worker.js"));
const index = JSON.parse(fs.readFileSync(path.join(site, "search/search_index.json"), "utf8"));
/* A split index (render/search_index.py) loads its files as a query needs them, the way
   the worker does in the browser; LLMKB_LOAD_ALL=1 loads all of it first. */
const loaded = { bytes: 0, files: 0 };
function loadFiles(paths) {
  for (const p of paths) {
    const file = path.join(site, p);
    loaded.bytes += fs.statSync(file).size;
    loaded.files++;
    load(file);
  }
}

/* The links Material draws (its search result renderer): each group's head (the item
   without "#", else the last one), then the other items as long as their score is not
   below the first item's; the rest is folded away ("more results on this page"). */
function links(items) {
  const out = [];
  for (const group of items) {
    const best = group[0].score;
    let head = group.findIndex((it) => it.location.indexOf("#") < 0);
    if (head < 0) head = group.length - 1;
    out.push(group[head].location);
    const rest = group.filter((_, i) => i !== head);
    let shown = rest.findIndex((it) => it.score < best);
    if (shown < 0) shown = rest.length;
    for (const it of rest.slice(0, shown)) out.push(it.location);
  }
  return out;
}

/* LLMKB_FRESH=1: every query on a fresh engine, as the first query of a page load
   (loadedBytes then counts the meta file too). LLMKB_PARTIAL=1: "partial" holds the links
   of the first answer a split index gives while it loads the rest (null: none), "partials"
   those of every answer before the last. */
async function main() {
  const fresh = !!process.env.LLMKB_FRESH;
  const open = () => scope.llmkbSearch.open(index, scope.llmkbSearchData, loadFiles);
  let engine = await open();
  if (process.env.LLMKB_LOAD_ALL) await engine.loadAll(loadFiles);
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  const results = [];
  for (const q of queries) {
    const before = loaded.bytes;
    if (fresh) engine = await open();
    const t0 = process.hrtime.bigint();
    const partials = [];
    const early = process.env.LLMKB_PARTIAL ? (partial) => { partials.push(links(partial.items)); } : undefined;
    const answer = await engine.answer(q, loadFiles, early);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    results.push({ q: q, links: links(answer.items), partial: partials.length ? partials[0] : null, partials: early ? partials : undefined, ms: ms, loadedBytes: loaded.bytes - before,
                   items: process.env.LLMKB_ITEMS ? answer.items : undefined });
  }
  process.stdout.write(JSON.stringify(results));
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
