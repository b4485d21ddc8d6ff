/*
 * The model catalog and the glossary as tables a reader can work with: sort by clicking a
 * column header (or with the 排序 menu), filter by name, group by organization, license,
 * initial or topic, with the number of rows shown.
 *
 * Progressive enhancement of the table the page already has: render/markdown.table_wrapper
 * puts it in <div class="llmkb-table" data-llmkb-table="catalog|glossary" data-columns="…">
 * and the catalog's name links carry plain values (data-date ISO, data-params billions,
 * data-context tokens, data-org, data-license open/closed, data-aliases). Rows are only
 * reordered, hidden or shown — never rebuilt — so anchors (models.html#model-gpt-4), links,
 * tooltips and search keep working; without JavaScript the plain table remains. Nothing is
 * fetched, so it works offline and from file://. On a narrow screen the enhanced table is a
 * list of cards (assets/stylesheets/llmkb.css).
 */
(function () {
  "use strict";

  var COLLATOR = new Intl.Collator("zh-Hans-CN", { numeric: true, sensitivity: "base" });
  var EMPTY = "—";
  // The first character of each pinyin initial in the zh collation (A 阿 … Z 帀).
  var PINYIN = [["A", "阿"], ["B", "八"], ["C", "嚓"], ["D", "哒"], ["E", "妸"], ["F", "发"],
    ["G", "旮"], ["H", "哈"], ["J", "丌"], ["K", "咔"], ["L", "垃"], ["M", "呣"], ["N", "拏"],
    ["O", "噢"], ["P", "妑"], ["Q", "七"], ["R", "呥"], ["S", "仨"], ["T", "他"], ["W", "屲"],
    ["X", "夕"], ["Y", "丫"], ["Z", "帀"]];
  var LICENSE = { open: "开源", closed: "闭源" };

  // What each kind of table sorts by, how it groups and what it calls its rows.
  var KINDS = {
    catalog: {
      noun: "个模型",
      placeholder: "名称、别名或机构",
      types: { date: "date", params: "number", context: "number" },
      groups: [
        { key: "org", label: "按机构", empty: "未注明机构", of: function (row) { return row.data.org || ""; } },
        { key: "license", label: "按开源/闭源", empty: "未注明", order: ["开源", "闭源"],
          of: function (row) { return LICENSE[row.data.license] || row.data.license || ""; } }
      ]
    },
    glossary: {
      noun: "个术语",
      placeholder: "术语、英文名或缩写",
      types: {},
      groups: [
        { key: "initial", label: "按首字母", empty: "#", alphabetical: true,
          of: function (row) { return initial(row.key.textContent); } },
        { key: "topic", label: "按主题", empty: "其他",
          of: function (row) { return topic(row.cells[row.columns.place]); } }
      ]
    }
  };

  function text(el) {
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // Case, spaces and -_.· do not matter: "gpt4" finds GPT-4, "llama 2" finds LLaMA2.
  function squash(value) {
    return value.toLowerCase().replace(/[\s\-_.·・]+/g, "");
  }

  function initial(value) {
    var ch = value.trim().charAt(0);
    if (/[A-Za-z]/.test(ch)) { return ch.toUpperCase(); }
    if (/[0-9]/.test(ch)) { return "0–9"; }
    if (!/[\u3400-\u9fff]/.test(ch)) { return ""; }
    var found = "";
    for (var i = 0; i < PINYIN.length; i++) {
      if (COLLATOR.compare(ch, PINYIN[i][1]) >= 0) { found = PINYIN[i][0]; }
    }
    return found;
  }

  function topic(cell) {
    return text(cell).split(" › ")[0];
  }

  function readRows(table, columns, kind) {
    var rows = [];
    var trs = table.tBodies[0] ? table.tBodies[0].rows : [];
    for (var i = 0; i < trs.length; i++) {
      var tr = trs[i];
      var cells = tr.cells;
      var key = cells[0].querySelector(".model-name, strong") || cells[0];
      var row = { tr: tr, cells: cells, key: key, index: i, data: key.dataset || {}, columns: {} };
      var words = [text(cells[0]), row.data.aliases || "", row.data.org || ""];
      for (var c = 0; c < columns.length && c < cells.length; c++) {
        row.columns[columns[c]] = c;
        cells[c].setAttribute("data-col", columns[c]);
        if (text(cells[c]) === EMPTY) { cells[c].classList.add("llmkb-empty"); }
      }
      if (kind === "catalog" && row.columns.org !== undefined) { words.push(text(cells[row.columns.org])); }
      if (kind === "glossary") { words.push(text(cells[1]), text(cells[2])); }
      row.search = squash(words.join(" "));
      rows.push(row);
    }
    return rows;
  }

  // The value a column sorts by: numbers and dates from the row's plain values, text
  // otherwise; null (no value) always sorts last.
  function sortValue(row, column, type) {
    if (type === "number") {
      var n = parseFloat(row.data[column]);
      return isNaN(n) ? null : n;
    }
    if (type === "date") {
      return row.data.date || null;
    }
    var index = row.columns[column];
    var value = index === 0 ? text(row.key) : text(row.cells[index]);
    return value && value !== EMPTY ? value : null;
  }

  function compare(a, b, type) {
    if (type === "number") { return a - b; }
    if (type === "date") { return a < b ? -1 : a > b ? 1 : 0; }
    return COLLATOR.compare(a, b);
  }

  function enhance(wrapper) {
    var name = wrapper.getAttribute("data-llmkb-table");
    var kind = KINDS[name];
    var table = wrapper.querySelector("table");
    if (!kind || !table || wrapper.classList.contains("llmkb-table--enhanced")) { return; }
    var columns = (wrapper.getAttribute("data-columns") || "").split(/\s+/);
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    var rows = readRows(table, columns, name);
    var state = { column: "", descending: false, group: "", filter: "" };
    var labels = [];

    // Labels for the card layout, sort buttons in the headers.
    var buttons = [];
    for (var h = 0; h < headers.length && h < columns.length; h++) {
      var label = text(headers[h]);
      labels.push(label);
      headers[h].setAttribute("data-col", columns[h]);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "llmkb-sort";
      button.setAttribute("data-col", columns[h]);
      button.textContent = label;
      button.title = "按“" + label + "”排序";
      headers[h].textContent = "";
      headers[h].appendChild(button);
      buttons.push(button);
    }
    rows.forEach(function (row) {
      for (var c = 0; c < labels.length && c < row.cells.length; c++) {
        row.cells[c].setAttribute("data-label", labels[c]);
      }
    });

    // The tool bar: filter, sort (for the card layout, where headers are hidden), group, count.
    var tools = document.createElement("div");
    tools.className = "llmkb-table__tools";
    var filter = document.createElement("input");
    filter.type = "search";
    filter.autocomplete = "off";
    filter.className = "llmkb-table__filter";
    filter.placeholder = "筛选：" + kind.placeholder;
    filter.setAttribute("aria-label", "筛选：" + kind.placeholder);
    var sorter = document.createElement("select");
    sorter.className = "llmkb-table__sort";
    sorter.setAttribute("aria-label", "排序");
    addOption(sorter, "", "原始顺序");
    labels.forEach(function (label, c) {
      var type = kind.types[columns[c]] || "text";
      var words = type === "number" ? ["从小到大", "从大到小"] : type === "date" ? ["从早到晚", "从晚到早"] : ["升序", "降序"];
      addOption(sorter, columns[c] + ":asc", label + "（" + words[0] + "）");
      addOption(sorter, columns[c] + ":desc", label + "（" + words[1] + "）");
    });
    var grouper = document.createElement("select");
    grouper.className = "llmkb-table__group";
    grouper.setAttribute("aria-label", "分组");
    addOption(grouper, "", "不分组");
    kind.groups.forEach(function (g) { addOption(grouper, g.key, g.label); });
    var count = document.createElement("span");
    count.className = "llmkb-table__count";
    count.setAttribute("aria-live", "polite");
    tools.appendChild(labelled("筛选", filter));
    tools.appendChild(labelled("排序", sorter));
    tools.appendChild(labelled("分组", grouper));
    tools.appendChild(count);
    wrapper.insertBefore(tools, wrapper.firstChild);
    wrapper.classList.add("llmkb-table--enhanced");

    function apply() {
      var type = kind.types[state.column] || "text";
      var needle = squash(state.filter);
      var shown = rows.filter(function (row) { return !needle || row.search.indexOf(needle) >= 0; });
      var hidden = rows.filter(function (row) { return needle && row.search.indexOf(needle) < 0; });
      var values = {};
      if (state.column) {
        rows.forEach(function (row) { values[row.index] = sortValue(row, state.column, type); });
      }
      shown.sort(function (a, b) {
        if (state.column) {
          var x = values[a.index], y = values[b.index];
          if (x === null || y === null) {
            if (x !== y) { return x === null ? 1 : -1; }
          } else {
            var d = compare(x, y, type);
            if (d) { return state.descending ? -d : d; }
          }
        }
        return a.index - b.index;
      });
      var body = table.tBodies[0];
      var old = body.querySelectorAll("tr.llmkb-group-row");
      for (var i = 0; i < old.length; i++) { body.removeChild(old[i]); }
      var fragment = document.createDocumentFragment();
      var group = kind.groups.filter(function (g) { return g.key === state.group; })[0];
      if (group) {
        groups(group, shown).forEach(function (g) {
          fragment.appendChild(groupRow(g.label, g.rows.length));
          g.rows.forEach(function (row) { row.tr.hidden = false; fragment.appendChild(row.tr); });
        });
      } else {
        shown.forEach(function (row) { row.tr.hidden = false; fragment.appendChild(row.tr); });
      }
      hidden.forEach(function (row) { row.tr.hidden = true; fragment.appendChild(row.tr); });
      body.appendChild(fragment);
      count.textContent = shown.length === rows.length
        ? "共 " + rows.length + " " + kind.noun
        : "显示 " + shown.length + " / " + rows.length + " " + kind.noun;
      buttons.forEach(function (button) {
        var col = button.getAttribute("data-col");
        var th = button.parentNode;
        if (col === state.column) {
          th.setAttribute("aria-sort", state.descending ? "descending" : "ascending");
        } else {
          th.removeAttribute("aria-sort");
        }
      });
      sorter.value = state.column ? state.column + (state.descending ? ":desc" : ":asc") : "";
    }

    function groupRow(label, n) {
      var tr = document.createElement("tr");
      tr.className = "llmkb-group-row";
      tr.setAttribute("data-group", label);
      var th = document.createElement("th");
      th.colSpan = labels.length;
      th.scope = "colgroup";
      th.textContent = label + " ";
      var small = document.createElement("span");
      small.className = "llmkb-group-row__count";
      small.textContent = n + " " + kind.noun;
      th.appendChild(small);
      tr.appendChild(th);
      return tr;
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var col = button.getAttribute("data-col");
        state.descending = state.column === col ? !state.descending : false;
        state.column = col;
        apply();
      });
    });
    sorter.addEventListener("change", function () {
      var parts = sorter.value.split(":");
      state.column = parts[0];
      state.descending = parts[1] === "desc";
      apply();
    });
    grouper.addEventListener("change", function () { state.group = grouper.value; apply(); });
    filter.addEventListener("input", function () { state.filter = filter.value; apply(); });

    // A link to a row the filter hides (models.html#model-gpt-4) shows it again.
    function reveal() {
      var id = decodeURIComponent(location.hash.slice(1));
      var target = id && document.getElementById(id);
      if (!target || !table.contains(target)) { return; }
      var tr = target.closest("tr");
      if (tr && tr.hidden) {
        filter.value = "";
        state.filter = "";
        apply();
        target.scrollIntoView();
      }
    }
    window.addEventListener("hashchange", reveal);
    apply();
  }

  // Groups in reading order: the largest first (ties by name), alphabetical for initials,
  // a fixed order where there is one; rows without a value last.
  function groups(group, rows) {
    var byLabel = {};
    var labels = [];
    rows.forEach(function (row) {
      var label = group.of(row) || group.empty;
      if (!byLabel[label]) { byLabel[label] = []; labels.push(label); }
      byLabel[label].push(row);
    });
    labels.sort(function (a, b) {
      if ((a === group.empty) !== (b === group.empty)) { return a === group.empty ? 1 : -1; }
      if (group.order) {
        var i = group.order.indexOf(a), j = group.order.indexOf(b);
        if (i !== j) { return (i < 0 ? 99 : i) - (j < 0 ? 99 : j); }
      }
      if (!group.alphabetical && byLabel[a].length !== byLabel[b].length) {
        return byLabel[b].length - byLabel[a].length;
      }
      return COLLATOR.compare(a, b);
    });
    return labels.map(function (label) { return { label: label, rows: byLabel[label] }; });
  }

  function addOption(select, value, label) {
    var option = document.createElement("option");
    option.value = value;
    option.textContent = label;
    select.appendChild(option);
  }

  function labelled(caption, control) {
    var label = document.createElement("label");
    var span = document.createElement("span");
    span.textContent = caption;
    label.appendChild(span);
    label.appendChild(control);
    return label;
  }

  function enhanceAll() {
    var found = document.querySelectorAll("div.llmkb-table[data-llmkb-table]");
    for (var i = 0; i < found.length; i++) { enhance(found[i]); }
  }

  // Material's document$ emits each page it shows (navigation.instant is off, so once).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(enhanceAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})();
