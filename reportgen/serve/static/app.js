// The page: one document (the YAML text) shown as a form and as code, checked as it changes.
"use strict";

const TOKEN = document.querySelector('meta[name="reportgen-token"]').content;
const $ = (id) => document.getElementById(id);

// fetch, with a Chinese message when the server cannot be reached (stopped with Ctrl-C)
async function reach(path, options) {
  try { return await fetch(path, options); } catch {
    throw Object.assign(new Error("无法连接 reportgen：运行 reportgen serve 的窗口是否已关闭或按了 Ctrl-C？重新运行后刷新本页"), { status: 0 });
  }
}

async function api(path, body, raw) {
  const options = { method: body === undefined && raw === undefined ? "GET" : "POST", headers: { "X-Reportgen-Token": TOKEN } };
  if (raw !== undefined) {
    options.body = raw;
    options.headers["Content-Type"] = "application/octet-stream";
  } else if (body !== undefined) {
    options.body = JSON.stringify(body);
    options.headers["Content-Type"] = "application/json";
  }
  const response = await reach(path, options);
  const found = await response.json().catch(() => ({ error: `服务器没有回应（${response.status}）` }));
  if (!response.ok) throw Object.assign(new Error(found.error || response.statusText), { status: response.status, body: found });
  return found;
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

const App = {
  file: null, text: "", savedText: "", version: null, check: null, checks: 0,
  queue: [], timers: new Map(), running: false,

  async start() {
    this.state = await api("/api/state");
    this.schema = await api("/api/schema");
    this.form = new ReportForm($("form"), this.schema, (edit, structural) => this.edit(edit, structural));
    this.code = CodeMirror.fromTextArea($("yaml"), {
      mode: "yaml", lineNumbers: true, gutters: ["findings", "CodeMirror-linenumbers"], indentUnit: 2,
      tabSize: 2, extraKeys: { Tab: (cm) => cm.replaceSelection("  ") }, lineWrapping: true,
    });
    window.reportgenEditor = this.code; // for tests and for those who script their browser
    this.code.on("change", (cm, change) => this.codeChanged(change));
    this.completion = { // ${…} in the YAML pane, as in the form's text areas
      insert: (name, typed) => {
        const cm = this.code, caret = cm.getCursor();
        const close = cm.getRange(caret, { line: caret.line, ch: caret.ch + 1 }) === "}" ? "" : "}";
        cm.replaceRange(name + close, { line: caret.line, ch: caret.ch - typed.length }, caret);
        cm.focus();
      },
    };
    this.code.on("keydown", (cm, event) => Completion.key(event, this.completion));
    this.code.on("blur", () => setTimeout(() => Completion.hide(), 150));
    this.widgets = [];
    this.bind();
    this.showState();
    const wanted = decodeURIComponent(location.hash.replace(/^#/, ""));
    if (this.state.files.includes(wanted)) await this.open(wanted);
    else if (this.state.files.length === 1) await this.open(this.state.files[0]);
  },

  bind() {
    $("file-list").addEventListener("change", (e) => e.target.value && this.open(e.target.value));
    $("save-button").addEventListener("click", () => this.save());
    $("new-button").addEventListener("click", () => this.newDialog());
    $("preview-refresh").addEventListener("click", () => this.preview());
    $("pages-button").addEventListener("click", () => this.pages());
    document.addEventListener("keydown", (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); this.save(); }
    });
    window.addEventListener("beforeunload", (e) => { if (this.dirty()) e.preventDefault(); });
    for (const tab of document.querySelectorAll(".tabs button")) {
      tab.addEventListener("click", () => this.tab(tab.dataset.tab));
    }
    this.checkSoon = debounce(() => this.recheck(), 250);
    this.previewSoon = debounce(() => this.preview(), 800);
  },

  showState() {
    const list = $("file-list");
    list.replaceChildren(el("option", { value: "", text: this.state.files.length ? "（选择文件）" : "（本文件夹还没有数据文件）" }),
      ...this.state.files.map((name) => el("option", { value: name, text: name })));
    list.value = this.file || "";
    $("downloads").replaceChildren(...this.state.downloads.map((d) => el("button", {
      type: "button", class: "download", "data-format": d.key, onclick: () => this.download(d.key),
    }, d.label)));
    $("new-layout").replaceChildren(el("option", { value: "", text: "（按起点：空白模板用通用版式，示例用番禺版式，导入时按报告识别）" }),
      ...this.state.layouts.map((l) => el("option", { value: l.name, text: `${l.name}　${l.label}` })));
    $("new-profile").replaceChildren(el("option", { value: "", text: "（按版式的评分方案）" }),
      ...this.state.profiles.map((p) => el("option", { value: p.name, disabled: !p.usable, text: `${p.name}　${p.label}` })));
    $("pages-button").hidden = !this.state.pages;
    this.showDownloads();
  },

  // a download is offered when the data passes; the 自评表's only for data with a table
  showDownloads() {
    const check = this.check || {};
    for (const button of document.querySelectorAll("button.download")) {
      const applies = (check.downloads || []).includes(button.dataset.format);
      button.hidden = button.dataset.format.startsWith("table") && !(check.data && check.data.table);
      button.disabled = !check.ok || !applies;
    }
  },

  dirty() { return this.file !== null && this.text !== this.savedText; },

  say(text, kind) {
    const state = $("save-state");
    state.textContent = text;
    state.className = `state ${kind || ""}`;
  },

  showDirty() { this.say(this.dirty() ? "有未保存的修改" : "已保存", this.dirty() ? "dirty" : "saved"); },

  tab(name) {
    for (const tab of document.querySelectorAll(".tabs button")) tab.classList.toggle("active", tab.dataset.tab === name);
    for (const pane of document.querySelectorAll(".tab")) pane.hidden = pane.id !== `tab-${name}`;
    if (name === "yaml") this.code.refresh();
    if (name === "preview") this.preview();
  },

  // ---- opening and saving -----------------------------------------------------------------

  async open(name, force) {
    if (!force && this.dirty() && !confirm(`${this.file} 有未保存的修改，放弃这些修改吗？`)) {
      $("file-list").value = this.file;
      return;
    }
    let opened;
    try { opened = await api("/api/open", { file: name }); } catch (error) { alert(error.message); return; }
    this.file = opened.file;
    this.version = opened.version;
    this.text = this.savedText = opened.text ?? "";
    location.hash = encodeURIComponent(this.file);
    $("welcome").hidden = true;
    $("workbench").hidden = false;
    $("file-list").value = this.file;
    this.setCode(this.text, true);
    this.code.setOption("readOnly", opened.text === null); // not text: nothing to edit or save
    this.form.sections = []; // another file may be in another layout
    this.showTodo(opened.todo || []);
    this.apply(opened.check, true);
    if (opened.check.data === undefined || opened.check.data === null) { // never another file's form
      $("form").replaceChildren();
      $("computed-box").replaceChildren(el("p", { class: "error-text", text: opened.text === null ?
        "此文件不能作为文本读入，网页中不能编辑或保存它；请按“问题”中的说明改正后重新打开。" :
        "YAML 有语法错误，改正后显示表单（见“问题”和右边的 YAML 原文）。" }));
    }
    this.showDirty();
  },

  async save(force) {
    if (!this.file) return false;
    const text = this.text; // what is typed while it is saved stays unsaved
    try {
      const saved = await api("/api/save", { file: this.file, text, version: this.version, force: !!force });
      this.version = saved.version;
      this.savedText = text;
      this.state.files = saved.files;
      this.showState();
      this.showDirty();
      return true;
    } catch (error) {
      if (error.status === 409) return this.conflict(error.message);
      alert(`未保存：${error.message}`);
      return false;
    }
  },

  conflict(message) {
    $("conflict-text").textContent = message;
    const dialog = $("conflict-dialog");
    return new Promise((resolve) => {
      dialog.addEventListener("close", async () => {
        if (dialog.returnValue === "overwrite") resolve(await this.save(true));
        else if (dialog.returnValue === "reload") { await this.open(this.file, true); resolve(false); }
        else resolve(false);
      }, { once: true });
      dialog.showModal();
    });
  },

  // ---- the two views ----------------------------------------------------------------------

  setCode(text, reset) {
    const old = this.code.getValue();
    if (old === text) return;
    this.quiet = true;
    if (reset) {
      this.code.setValue(text);
      this.code.clearHistory();
    } else {
      let start = 0;
      while (start < old.length && start < text.length && old[start] === text[start]) start++;
      let end = 0;
      while (end < old.length - start && end < text.length - start && old[old.length - 1 - end] === text[text.length - 1 - end]) end++;
      this.code.replaceRange(text.slice(start, text.length - end), this.code.posFromIndex(start), this.code.posFromIndex(old.length - end), "+form");
    }
    this.quiet = false;
  },

  codeChanged(change) {
    if (this.quiet) return;
    if (change.origin === "+input") {
      const caret = this.code.getCursor(), at = this.code.cursorCoords(caret, "window");
      const before = this.code.getLine(caret.line).slice(0, caret.ch);
      Completion.offer(this.completion, before, this.form.placeholders, at.left, at.bottom);
    } else Completion.hide();
    this.text = this.code.getValue();
    this.showDirty();
    this.say("检查中…", "dirty");
    this.checkSoon();
  },

  async recheck() {
    const ticket = ++this.checks;
    const text = this.text;
    try {
      const result = await api("/api/check", { file: this.file, text });
      if (ticket === this.checks && text === this.text) this.apply(result, true);
    } catch (error) { this.say(error.message, "error"); }
    this.showDirty();
  },

  edit(edit, structural) {
    if (structural) {
      this.queue.push({ edit, structural });
      this.run();
      return;
    }
    const key = JSON.stringify(edit.path); // typing: the last value of a field, once it pauses
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); this.queue.push({ edit, structural }); this.run(); }, 200));
  },

  async run() {
    if (this.running) return;
    this.running = true;
    this.say("检查中…", "dirty");
    let rebuild = false;
    while (this.queue.length) {
      const { edit, structural } = this.queue.shift();
      rebuild = rebuild || structural || edit.kind !== "set" || (typeof edit.value === "object" && edit.value !== null);
      try {
        const sent = this.text;
        const result = await api("/api/edit", { file: this.file, text: sent, edit });
        if (this.text !== sent) { // typed in the YAML pane meanwhile: the edit is made on that
          this.queue.unshift({ edit, structural });
          continue;
        }
        this.text = result.text;
        this.setCode(this.text, false);
        this.apply(result.check, rebuild && !this.queue.length);
      } catch (error) {
        alert(error.message);
        this.apply(this.check, true);
      }
    }
    this.running = false;
    this.showDirty();
  },

  // ---- what the checks say ----------------------------------------------------------------

  apply(check, rebuild) {
    this.check = check;
    if (rebuild && check.data !== undefined && check.data !== null) {
      this.form.build(check.data, check.sections, check.placeholders);
    } else if (check.placeholders && check.placeholders.length) {
      this.form.placeholders = check.placeholders;
    }
    const findings = check.findings || [];
    this.form.showFindings(findings, (f) => this.reveal(f));
    this.form.showComputed(check.computed);
    this.showComputed(check.computed || {}, check.labels || {});
    this.showProblems(findings);
    this.markCode(findings);
    const errors = findings.filter((f) => f.severity === "error").length;
    const verdict = $("verdict");
    verdict.textContent = check.data === null ? "YAML 有语法错误，表单暂停更新" :
      errors ? `${errors} 个错误，${findings.length - errors} 个警告` :
      findings.length ? `通过（${findings.length} 个警告）` : "通过";
    verdict.className = `verdict ${errors || check.data === null ? "bad" : "good"}`;
    $("problem-count").textContent = findings.length ? `(${findings.length})` : "";
    this.showDownloads();
    if (!$("tab-preview").hidden) this.previewSoon();
  },

  showComputed(computed, named) {
    const box = $("computed-box");
    const labels = {
      "budget.total": "预算（计算执行率所用）", "score.grade": "等级",
      "table.totals.final": "自评表得分", "table.totals.grade": "自评表等级", "table.funds.score": "预算执行得分",
    };
    const rows = Object.entries(computed).map(([path, text]) => {
      const field = document.querySelector(`#form [data-path="${CSS.escape(path)}"] .label`);
      let label = labels[path] || named[path] || (field ? field.textContent : path);
      const item = /^(.*\[\d+\])\.[^.]+$/.exec(path); // a list item's figure: say which item
      const name = !named[path] && item &&
        document.querySelector(`#form [data-path="${CSS.escape(item[1] + ".name")}"] input`);
      if (name && name.value) label += `（${name.value}）`;
      return el("div", { class: "figure", "data-path": path },
        el("span", { class: "figure-label", text: label }),
        el("span", { class: "figure-value", text }));
    });
    box.replaceChildren(rows.length ? el("h3", { text: "程序计算的数（只读，随填写更新）" }) : "", ...rows);
  },

  showProblems(findings) {
    $("problems").replaceChildren(...findings.map((f) => el("li", { class: f.severity, onclick: () => this.reveal(f) },
      el("span", { class: "where", text: f.line ? `第 ${f.line} 行` : "" }),
      el("span", { class: "code", text: `${f.severity === "error" ? "错误" : "警告"} ${f.code}` }),
      f.path ? el("span", { class: "path", text: f.path }) : "",
      el("span", { class: "message", text: f.message }))));
    if (!findings.length) $("problems").append(el("li", { class: "none", text: "没有发现问题。" }));
  },

  markCode(findings) {
    for (const widget of this.widgets) widget.clear();
    this.widgets = [];
    this.code.clearGutter("findings");
    this.code.eachLine((line) => {
      this.code.removeLineClass(line, "background", "line-error");
      this.code.removeLineClass(line, "background", "line-warning");
    });
    const byLine = new Map();
    for (const f of findings) if (f.line) byLine.set(f.line, [...(byLine.get(f.line) || []), f]);
    for (const [line, found] of byLine) {
      if (line > this.code.lineCount()) continue;
      const bad = found.some((f) => f.severity === "error");
      this.code.addLineClass(line - 1, "background", bad ? "line-error" : "line-warning");
      this.code.setGutterMarker(line - 1, "findings", el("span", { class: bad ? "mark error" : "mark warning", title: found.map((f) => f.text).join("\n") }, "●"));
      const note = el("div", { class: "cm-finding" }, ...found.map((f) => el("div", { class: f.severity, text: `${f.code} ${f.message}` })));
      this.widgets.push(this.code.addLineWidget(line - 1, note));
    }
  },

  reveal(finding) {
    if (finding.line) {
      this.tab("yaml");
      this.code.setCursor({ line: finding.line - 1, ch: Math.max(0, (finding.column || 1) - 1) });
      this.code.scrollIntoView(null, 120);
    }
    const field = finding.path && this.form.fieldFor(finding.path);
    if (field) {
      field.scrollIntoView({ block: "center" });
      const input = field.querySelector("input, textarea, select");
      if (input) input.focus({ preventScroll: true });
    }
  },

  showTodo(notes) {
    $("todo").replaceChildren(...notes.map((note) => el("li", {}, el("label", {}, el("input", { type: "checkbox" }), " ", note))));
    $("todo-count").textContent = notes.length ? `(${notes.length})` : "";
    if (notes.length) this.tab("todo");
  },

  // ---- preview and downloads --------------------------------------------------------------

  // the HTML follows every change; page images (LibreOffice) are drawn on request
  async preview() {
    if (!this.file || !this.check) return;
    if (!this.check.ok) { // the last preview is of other data: not shown beside these errors
      $("preview").hidden = true;
      $("pages").replaceChildren();
      $("preview-state").textContent = "数据有错误，改正后才能预览（见“问题”）";
      return;
    }
    $("preview-state").textContent = "生成中…";
    const text = this.text;
    try {
      const result = await api("/api/preview", { file: this.file, text });
      if (text !== this.text) return; // changed meanwhile: the preview of the new text follows
      $("preview").innerHTML = result.html; // built from escaped text by the server
      $("preview").hidden = false;
      this.fitPages();
      $("pages").replaceChildren();
      const what = result.documents.length > 1 ? "报告和自评表" : "报告";
      $("preview-state").textContent = `${what}的文字、页眉页脚与下载的 Word 相同；每行的字数和分页以 Word 为准${this.state.pages ? "，要看分页请点“生成页面图像”" : ""}`;
    } catch (error) { if (text === this.text) $("preview-state").textContent = error.message; }
  },

  // each page shrunk to the pane's width (a landscape 自评表 is wider than a portrait report)
  fitPages() {
    const room = $("tab-preview").clientWidth - 40;
    for (const page of document.querySelectorAll("#preview .page")) {
      const width = (parseFloat(page.style.width) || 595) * 96 / 72;
      page.style.zoom = Math.min(0.72, room / width).toFixed(3);
    }
  },

  async pages() {
    if (!this.check || !this.check.ok) return this.preview();
    $("preview-state").textContent = "LibreOffice 排版中，约需十几秒…";
    const text = this.text;
    try {
      const result = await api("/api/pages", { file: this.file, text });
      if (text !== this.text) return; // changed meanwhile: the text preview follows
      $("pages").replaceChildren(...result.pages.map((src, i) => el("img", { src, alt: `第 ${i + 1} 页`, class: "page-image" })));
      $("preview").hidden = true;
      $("preview-state").textContent = `共 ${result.pages.length} 页${result.kept ? "（内容未变，沿用上次排好的页面）" : ""}；修改后自动回到文字预览`;
    } catch (error) { $("preview-state").textContent = error.message; }
  },

  async download(format) {
    if (this.dirty() && !(await this.save())) return;
    const response = await reach(`/api/download?file=${encodeURIComponent(this.file)}&format=${format}`, { headers: { "X-Reportgen-Token": TOKEN } });
    if (!response.ok) {
      const found = await response.json().catch(() => ({}));
      alert(found.error || `下载失败（${response.status}）`);
      return;
    }
    const disposition = response.headers.get("Content-Disposition") || "";
    const name = decodeURIComponent((/filename\*=UTF-8''(.+)$/.exec(disposition) || [])[1] || `报告.${format}`);
    const link = el("a", { href: URL.createObjectURL(await response.blob()), download: name });
    document.body.append(link);
    link.click();
    setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 10000);
  },

  // ---- starting points --------------------------------------------------------------------

  // what the table choice means depends on the starting point; the profile is for the table
  newChoices() {
    const start = document.querySelector('input[name="start"]:checked').value;
    const table = $("new-table");
    if (start === "example") table.checked = true;
    table.disabled = start === "example";
    $("new-table-label").textContent = {
      starter: "附空白自评表（一级指标按评分方案列出，各项留空待填）",
      example: "含自评表（示例中已填写）",
      import: "把去年的绩效指标写成自评表的指标树（同 reportgen import --table）",
    }[start];
    $("new-profile").disabled = !table.checked;
    if (!table.checked) $("new-profile").value = "";
    $("new-upload").disabled = $("new-year").disabled = start !== "import";
    $("new-hint").textContent = table.checked ? "评分方案决定自评表的一级指标和计分方法（reportgen profile list 列出全部方案）。" : "";
  },

  newDialog() {
    const dialog = $("new-dialog");
    $("new-error").textContent = "";
    $("new-year").value = new Date().getFullYear() - 1;
    for (const input of document.querySelectorAll('#new-form input[name="start"], #new-table')) input.onchange = () => this.newChoices();
    this.newChoices();
    dialog.showModal();
    $("new-create").onclick = async (event) => {
      event.preventDefault();
      let name = $("new-name").value.trim();
      if (!name) { $("new-error").textContent = "请填写文件名"; return; }
      if (!/\.ya?ml$/i.test(name)) name += ".yaml";
      const start = document.querySelector('input[name="start"]:checked').value;
      try {
        let created;
        if (start === "import") {
          const upload = $("new-upload").files[0];
          if (!upload) { $("new-error").textContent = "请选择去年的报告文件"; return; }
          const query = new URLSearchParams({ filename: upload.name, name, year: $("new-year").value, layout: $("new-layout").value, table: $("new-table").checked ? "1" : "", profile: $("new-profile").value });
          $("new-error").textContent = "导入中…";
          created = await api(`/api/import?${query}`, undefined, upload);
        } else {
          created = await api("/api/new", { file: name, start, layout: $("new-layout").value, table: $("new-table").checked, profile: $("new-profile").value });
        }
        dialog.close();
        this.state = await api("/api/state");
        this.showState();
        await this.open(created.file);
      } catch (error) { $("new-error").textContent = error.message; }
    };
  },
};

App.start().catch((error) => { document.body.prepend(el("p", { class: "fatal", text: `无法启动：${error.message}` })); });
