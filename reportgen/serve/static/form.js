// The data as a form, generated from the data format's JSON Schema. Every change is handed to
// onEdit as one edit ({kind, path, value, index}); the server writes it into the YAML text.
"use strict";

const BLOCK_LABELS = {
  string: "一段文字",
  array: "分成几段或几项",
  Item: "小标题和正文",
  NumberedBlock: "编号的各条（1. 2. 3.）",
  JoinedBlock: "“一是……二是……”一段",
  KeyTasksBlock: "重点任务（按数据生成）",
  IndicatorsBlock: "绩效指标（按数据生成）",
  SummaryBlock: "按数据生成的一段",
  CostLine: "金额和用途",
  number: "只填一个数",
  object: "分项填写",
};
const KEY_LABELS = { category: "指标类别", direction: "指标方向", layout: "版式" };
// Columns of a mapping whose description does not name them.
const MAP_LABELS = { grade_bands: ["等级", "最低分"] };
// Groups shown first and open; the rest (layout settings) start folded.
const OPEN_GROUPS = ["year", "department", "budget", "score", "key_tasks", "indicators", "sections"];

function pathKey(path) {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${part}` : part;
  }
  return text;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

class ReportForm {
  constructor(container, schema, onEdit) {
    this.container = container;
    this.schema = schema;
    this.onEdit = onEdit;
    this.placeholders = [];
    this.sections = [];
  }

  // ---- the schema ---------------------------------------------------------------------------

  resolve(node) {
    let seen = 0;
    while (node && node.$ref && seen++ < 20) {
      const name = node.$ref.split("/").pop();
      const target = this.schema.$defs[name];
      // the property's own words describe it better than its type's docstring
      const outer = node.description ? { description: node.description, title: node.title } : {};
      node = Object.assign({ defName: name }, target, outer, node.title ? { title: node.title } : {});
      delete node.$ref;
    }
    return node || {};
  }

  // The alternatives of a node, nulls left out and nested anyOf/oneOf flattened.
  variants(node) {
    node = this.resolve(node);
    const list = node.anyOf || node.oneOf;
    if (!list) return node.type === "null" ? [] : [node];
    return list.flatMap((v) => this.variants(v));
  }

  isScalar(node) {
    const type = this.resolve(node).type;
    return ["string", "number", "integer", "boolean"].includes(type) || this.resolve(node).enum;
  }

  pick(variants, value) {
    if (value === null || value === undefined) return variants[0];
    if (Array.isArray(value)) return variants.find((v) => v.type === "array") || variants[0];
    if (typeof value === "object") {
      const keys = Object.keys(value);
      let best = variants[0], score = -1;
      for (const v of variants.filter((x) => x.type === "object")) {
        const props = Object.keys(v.properties || {});
        const hits = keys.filter((k) => props.includes(k)).length - keys.filter((k) => !props.includes(k)).length;
        if (hits > score) { best = v; score = hits; }
      }
      return best;
    }
    return variants.find((v) => this.isScalar(v)) || variants[0];
  }

  empty(node) {
    const variants = this.variants(node);
    const first = variants.find((v) => this.isScalar(v)) ? null : variants[0];
    if (!first) return null;
    if (first.type === "array") return [];
    if (first.type === "object") {
      const value = {};
      for (const key of first.required || []) value[key] = this.empty(first.properties[key]);
      return value;
    }
    return null;
  }

  label(node, key) {
    const resolved = this.resolve(node);
    const described = resolved.description && resolved.description.split(/[，；（(=：:]| = | \| /)[0].trim();
    let title = resolved.title && resolved.title !== resolved.defName ? resolved.title : described || String(key);
    const first = title.split(" ")[0];
    if (KEY_LABELS[key] && (title === resolved.defName || (resolved.enum || []).includes(first) || /^[a-z_]+$/.test(title))) {
      title = KEY_LABELS[key];
    }
    return title;
  }

  // ---- building ---------------------------------------------------------------------------

  build(data, sections, placeholders) {
    this.data = data;
    if (sections && sections.length) this.sections = sections;
    this.placeholders = placeholders || this.placeholders;
    const scrollTop = this.container.parentElement.scrollTop;
    const open = new Set([...this.container.querySelectorAll("details[open]")].map((d) => d.dataset.path));
    const first = !this.container.childElementCount;
    this.container.replaceChildren();
    const root = this.resolve(this.schema);
    const value = data && typeof data === "object" && !Array.isArray(data) ? data : {};
    const keys = [...OPEN_GROUPS, ...Object.keys(root.properties).filter((k) => !OPEN_GROUPS.includes(k))];
    for (const key of keys) {
      const child = this.field(root.properties[key], value[key], [key], key, root.required || []);
      if (child.tagName === "DETAILS" && (first ? OPEN_GROUPS.includes(key) : open.has(child.dataset.path))) {
        child.open = true;
      }
      this.container.append(child);
    }
    this.container.parentElement.scrollTop = scrollTop;
  }

  field(schema, value, path, key, required) {
    const variants = this.variants(schema);
    const label = this.label(schema, key);
    const help = this.resolve(schema).description;
    const chosen = this.pick(variants, value);
    const scalarOnly = variants.every((v) => this.isScalar(v));
    if (path.length === 1 && key === "sections") return this.sectionsGroup(chosen, value, path, label);
    if (scalarOnly || !chosen || this.isScalar(chosen)) {
      const field = this.scalarField(chosen || {}, value, path, label, help, required.includes(key));
      const chooser = scalarOnly ? null : this.variantChooser(variants, chosen, value, path);
      if (chooser) field.insertBefore(chooser, field.querySelector(":scope > .msgs"));
      return field;
    }
    const body = chosen.type === "array" ? this.list(chosen, value, path) : this.object(chosen, value, path);
    if (typeof key === "number") { // a list item: its number and tools stand above it
      return el("div", { class: "field", "data-path": pathKey(path) },
        this.variantChooser(variants, chosen, value, path), el("div", { class: "msgs" }), body);
    }
    const box = el("details", { class: "group field", "data-path": pathKey(path) },
      el("summary", {}, el("span", { class: "label", text: label }),
        required.includes(key) ? el("span", { class: "required", text: "必填" }) : null,
        el("span", { class: "computed" })),
      help && help !== label ? el("div", { class: "help", text: help }) : null,
      this.variantChooser(variants, chosen, value, path),
      el("div", { class: "msgs" }), body);
    if (path.length > 1) box.open = true;
    return box;
  }

  variantChooser(variants, chosen, value, path) {
    const kinds = variants.filter((v, i) => variants.findIndex((w) => this.kindName(w) === this.kindName(v)) === i);
    if (kinds.length < 2) return null;
    const select = el("select", { class: "kind", title: "写法" });
    for (const v of kinds) {
      const option = el("option", { value: this.kindName(v), text: this.kindLabel(v) });
      if (this.kindName(v) === this.kindName(chosen)) option.selected = true;
      select.append(option);
    }
    select.addEventListener("change", () => {
      const target = kinds.find((v) => this.kindName(v) === select.value);
      if (value !== null && value !== undefined && !confirm("改变写法会清除这里已填的内容，继续吗？")) {
        select.value = this.kindName(chosen);
        return;
      }
      const emptied = target.type === "array" ? [] : target.type === "object" ? this.empty(target) : null;
      this.onEdit({ kind: "set", path, value: emptied }, true);
    });
    return el("label", { class: "kind-label" }, "写法：", select);
  }

  kindLabel(variant) {
    const name = this.kindName(variant);
    return BLOCK_LABELS[name] || (variant.type === "object" ? BLOCK_LABELS.object : name);
  }

  kindName(variant) {
    if (variant.defName) return variant.defName;
    if (variant.type === "array") return "array";
    if (variant.type === "object") return "object";
    return ["number", "integer"].includes(variant.type) ? "number" : "string";
  }

  object(schema, value, path) {
    if (this.isMap(schema)) return this.map(schema, value, path);
    const box = el("div", { class: "object" });
    const given = value && typeof value === "object" && !Array.isArray(value) ? value : {};
    const props = schema.properties || {};
    const keys = [...Object.keys(props), ...Object.keys(given).filter((k) => !(k in props))];
    for (const key of keys) {
      const child = props[key] || schema.additionalProperties || {};
      box.append(this.field(child, given[key], [...path, key], key, schema.required || []));
    }
    return box;
  }

  // A mapping whose keys the clerk chooses (outline.headings, previous.figures …).
  isMap(schema) {
    const extra = schema.additionalProperties;
    return extra && typeof extra === "object" && !Object.keys(schema.properties || {}).length;
  }

  // “改写标题：节或章的键名 → 新标题” names the two columns; “键名是…” names the key's
  mapLabels(schema, path) {
    const known = MAP_LABELS[path[path.length - 1]];
    if (known) return known;
    const text = String(schema.description || "");
    const arrow = /(?:^|[：:])\s*([^：:，,→]+?)\s*→\s*([^，,（(]+)/.exec(text);
    if (arrow) return [arrow[1].trim(), arrow[2].trim()];
    const keyIs = /键名是([^（(，,]+)/.exec(text);
    const item = this.resolve(schema.additionalProperties);
    const described = (item.description || "").split(/[，；：:（(]/)[0].trim();
    return [keyIs ? keyIs[1].trim() : "名称", item.title || described || "内容"];
  }

  // the names a key may take: fixed (propertyNames), or offered: the layout's sections for the
  // outline's changes, the figures ${…} may name for last year's figures
  keyChoices(schema, path) {
    const fixed = schema.propertyNames && schema.propertyNames.enum;
    if (fixed) return { fixed: fixed.map((v) => ({ value: v, label: v })) };
    if (path[0] === "outline") return { offered: this.sections.map((s) => ({ value: s.key, label: s.heading })) };
    if (path[path.length - 1] === "figures") return { offered: this.placeholders.map((n) => ({ value: n, label: "" })) };
    return { offered: [] };
  }

  keyInput(choices, key, listId) {
    if (choices.fixed) {
      const select = el("select", { class: "map-key-input" }, el("option", { value: "", text: "（选择）" }));
      for (const c of choices.fixed) select.append(el("option", { value: c.value, text: c.label }));
      select.value = key;
      return select;
    }
    const input = el("input", { type: "text", class: "map-key-input", list: listId });
    input.value = key;
    return input;
  }

  map(schema, value, path) {
    const given = value && typeof value === "object" && !Array.isArray(value) ? value : {};
    const [keyLabel, valueLabel] = this.mapLabels(schema, path);
    const choices = this.keyChoices(schema, path);
    const listId = `keys-${pathKey(path)}`;
    const box = el("div", { class: "map" },
      el("div", { class: "map-head" }, el("span", { text: keyLabel }), el("span", { text: valueLabel })));
    if (choices.offered && choices.offered.length) {
      box.append(el("datalist", { id: listId }, ...choices.offered.map((c) => el("option", { value: c.value, label: c.label }))));
    }
    const item = schema.additionalProperties;
    for (const [key, current] of Object.entries(given)) {
      const row = this.field(item, current, [...path, key], key, []);
      row.classList.add("map-row");
      const keyInput = this.keyInput(choices, key, listId);
      keyInput.title = keyLabel;
      keyInput.addEventListener("change", () => {
        const name = keyInput.value.trim();
        if (!name || name === key) { keyInput.value = key; return; }
        this.onEdit({ kind: "rename", path: [...path, key], value: name }, true);
      });
      const remove = el("button", { type: "button", class: "remove", title: "删除这一项",
        onclick: () => { if (confirm(`删除“${key}”？`)) this.onEdit({ kind: "remove", path: [...path, key] }, true); } }, "删除");
      const keyBox = el("div", { class: "map-key" }, keyInput, remove);
      const help = row.querySelector(":scope > .help"); // the same for every row: said once, above
      if (help) help.remove();
      const label = row.querySelector(":scope > label, :scope > summary");
      if (label && label.tagName === "LABEL") label.replaceWith(keyBox);
      else row.prepend(keyBox);
      box.append(row);
    }
    const fresh = this.keyInput(choices, "", listId);
    fresh.classList.add("map-new");
    fresh.setAttribute("placeholder", `新的${keyLabel}`);
    const add = () => {
      const name = fresh.value.trim();
      if (!name) { fresh.focus(); return; }
      if (name in given) { alert(`已有“${name}”`); return; }
      this.onEdit({ kind: "set", path: [...path, name], value: null }, true);
    };
    fresh.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); add(); } });
    box.append(el("div", { class: "add map-add" }, fresh, el("button", { type: "button", class: "add-item", onclick: add }, "＋ 添加一项")));
    return box;
  }

  sectionsGroup(schema, value, path, label) {
    const given = value && typeof value === "object" ? value : {};
    const box = el("details", { class: "group field", "data-path": pathKey(path) },
      el("summary", {}, el("span", { class: "label", text: label })), el("div", { class: "msgs" }));
    // the layout's sections in print order; while the data has errors, the last known ones or
    // the schema's (a file with errors has no resolved layout)
    const listed = this.sections.length ? this.sections : Object.entries(schema.properties || {}).map(([key, node]) => ({ key, heading: this.label(node, key) }));
    const keys = [...listed.map((s) => s.key), ...Object.keys(given).filter((k) => !listed.some((s) => s.key === k))];
    for (const key of keys) {
      const known = listed.find((s) => s.key === key);
      const child = Object.assign({}, (schema.properties || {})[key] || schema.additionalProperties || {});
      child.title = known ? known.heading : key;
      box.append(this.field(child, given[key], [...path, key], key, listed.filter((s) => s.required).map((s) => s.key)));
    }
    return box;
  }

  list(schema, value, path) {
    const items = Array.isArray(value) ? value : [];
    const box = el("div", { class: "list" });
    items.forEach((item, i) => {
      const row = el("div", { class: "item" },
        el("div", { class: "item-tools" },
          el("span", { class: "item-number", text: `第 ${i + 1} 项` }),
          el("button", { type: "button", title: "上移", disabled: i === 0, onclick: () => this.onEdit({ kind: "move", path: [...path, i], index: i - 1 }, true) }, "↑"),
          el("button", { type: "button", title: "下移", disabled: i === items.length - 1, onclick: () => this.onEdit({ kind: "move", path: [...path, i], index: i + 1 }, true) }, "↓"),
          el("button", { type: "button", title: "删除", class: "remove", onclick: () => { if (confirm(`删除第 ${i + 1} 项？`)) this.onEdit({ kind: "remove", path: [...path, i] }, true); } }, "删除")),
        this.field(schema.items || {}, item, [...path, i], i, []));
      box.append(row);
    });
    const variants = this.variants(schema.items || {});
    const kinds = variants.filter((v, i) => variants.findIndex((w) => this.kindName(w) === this.kindName(v)) === i);
    const add = el("div", { class: "add" });
    for (const v of kinds) {
      const name = this.kindName(v);
      const text = kinds.length > 1 ? `＋ ${this.kindLabel(v)}` : "＋ 添加一项";
      const initial = v.type === "object" ? this.empty(v) : v.type === "array" ? [] : "";
      add.append(el("button", { type: "button", class: "add-item", onclick: () => this.onEdit({ kind: "insert", path, index: items.length, value: initial }, true) }, text));
    }
    box.append(add);
    return box;
  }

  scalarField(schema, value, path, label, help, required) {
    const key = pathKey(path);
    const narrative = path[0] === "sections" || (typeof value === "string" && (value.includes("\n") || value.length > 60));
    let input;
    if (schema.enum || schema.type === "boolean") {
      const options = schema.enum || ["true", "false"];
      const names = this.enumNames(schema);
      input = el("select", {}, el("option", { value: "", text: "（不填）" }));
      for (const option of options) {
        input.append(el("option", { value: String(option), text: names[option] || (option === "true" ? "是" : option === "false" ? "否" : String(option)) }));
      }
      input.value = value === null || value === undefined ? "" : String(value);
    } else if (narrative) {
      const text = String(value || "");
      const lines = text.split("\n").reduce((n, line) => n + Math.ceil((line.length + 1) / 38), 0);
      input = el("textarea", { rows: Math.min(14, Math.max(2, lines)) });
      input.value = value === null || value === undefined ? "" : String(value);
      input.addEventListener("keydown", (e) => Completion.key(e, input.completion));
      input.addEventListener("input", () => Completion.update(input, this.placeholders));
      input.addEventListener("blur", () => setTimeout(() => Completion.hide(), 150));
    } else {
      input = el("input", { type: "text", inputmode: ["number", "integer"].includes(schema.type) ? "decimal" : null });
      input.value = value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
    }
    input.name = key;
    input.dataset.path = JSON.stringify(path);
    input.addEventListener(input.tagName === "SELECT" ? "change" : "input", () => {
      this.onEdit({ kind: "set", path, value: input.value === "" ? null : input.value }, false);
    });
    const id = `f-${key}`;
    input.id = id;
    const bare = typeof path[path.length - 1] === "number";
    return el("div", { class: bare ? "field scalar bare" : "field scalar", "data-path": key },
      el("label", { for: id }, el("span", { class: "label", text: label }),
        required ? el("span", { class: "required", text: "必填" }) : null),
      input,
      el("span", { class: "computed" }),
      help && help !== label ? el("div", { class: "help", text: help }) : null,
      el("div", { class: "msgs" }));
  }

  enumNames(schema) {
    const names = {};
    for (const part of String(schema.description || "").split("|")) {
      const [word, ...rest] = part.trim().split(" ");
      if (rest.length) names[word] = `${word} ${rest.join(" ")}`;
    }
    return names;
  }

  // ---- what the checks say ------------------------------------------------------------------

  fieldFor(path) {
    let probe = path;
    while (probe) {
      const found = this.container.querySelector(`[data-path="${CSS.escape(probe)}"]`);
      if (found) return found;
      const shorter = probe.replace(/(\.[^.[\]]*|\[\d+\])$/, "");
      if (shorter === probe) break;
      probe = shorter;
    }
    return null;
  }

  showFindings(findings, onClick) {
    for (const node of this.container.querySelectorAll(".msgs")) node.replaceChildren();
    for (const node of this.container.querySelectorAll(".has-error, .has-warning")) node.classList.remove("has-error", "has-warning");
    for (const finding of findings) {
      const field = finding.path ? this.fieldFor(finding.path) : null;
      if (!field) continue;
      field.classList.add(finding.severity === "error" ? "has-error" : "has-warning");
      const where = finding.line ? `（YAML 第 ${finding.line} 行）` : "";
      const message = el("div", { class: `msg ${finding.severity}`, onclick: () => onClick(finding) },
        el("span", { class: "code", text: `${finding.severity === "error" ? "错误" : "警告"} ${finding.code}` }), " ",
        finding.message, where ? el("a", { class: "line", href: "#", text: where }) : null);
      field.querySelector(":scope > .msgs").append(message);
      this.unfold(field);
      for (const other of finding.related || []) { // the other figures of the relation
        const near = this.fieldFor(other.path);
        if (!near || near === field) continue;
        near.querySelector(":scope > .msgs").append(el("div", { class: "msg related", onclick: () => onClick(finding) },
          `相关：${finding.code} ${finding.message}`));
        this.unfold(near);
      }
    }
  }

  unfold(field) {
    for (let up = field.parentElement.closest("details"); up; up = up.parentElement.closest("details")) up.open = true;
  }

  showComputed(computed) {
    for (const node of this.container.querySelectorAll(".computed")) node.textContent = "";
    for (const [path, text] of Object.entries(computed || {})) {
      const field = this.container.querySelector(`[data-path="${CSS.escape(path)}"]`);
      const slot = field && field.querySelector(":scope > .computed, :scope > summary > .computed");
      if (slot) slot.textContent = `计算：${text}`;
    }
  }
}

// ${…} completion, in the form's text areas and in the YAML pane: the figures a placeholder may
// name. A target is anything that can insert a chosen name in place of what was typed.
const Completion = {
  box: null, target: null, items: [], active: 0, typed: "",

  // the text before the caret ends in “${…”: offer the names that contain what follows it
  offer(target, before, names, left, top) {
    const match = /\$\{([^{}\s]*)$/.exec(before);
    if (!match) return this.hide();
    this.items = names.filter((n) => n.includes(match[1])).slice(0, 12);
    if (!this.items.length) return this.hide();
    Object.assign(this, { target, typed: match[1], active: 0 });
    this.box = document.getElementById("completion");
    this.box.replaceChildren(...this.items.map((name, i) => el("div", {
      class: i === 0 ? "choice active" : "choice", text: `\${${name}}`,
      onmousedown: (e) => { e.preventDefault(); this.choose(i); },
    })));
    this.box.style.left = `${left + window.scrollX}px`;
    this.box.style.top = `${top + window.scrollY}px`;
    this.box.hidden = false;
  },

  update(input, names) {
    if (!input.completion) {
      input.completion = {
        insert(name, typed) {
          const caret = input.selectionStart, start = caret - typed.length, after = input.value.slice(caret);
          const close = after.startsWith("}") ? "" : "}";
          input.value = input.value.slice(0, start) + name + close + after;
          input.selectionStart = input.selectionEnd = start + name.length + 1;
          input.dispatchEvent(new Event("input"));
        },
      };
    }
    const rect = input.getBoundingClientRect();
    this.offer(input.completion, input.value.slice(0, input.selectionStart), names, rect.left, rect.bottom);
  },

  key(event, target) {
    if (!this.box || this.box.hidden || this.target !== target) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      this.active = (this.active + (event.key === "ArrowDown" ? 1 : this.items.length - 1)) % this.items.length;
      [...this.box.children].forEach((c, i) => c.classList.toggle("active", i === this.active));
      event.preventDefault();
    } else if (event.key === "Enter" || event.key === "Tab") {
      this.choose(this.active);
      event.preventDefault();
    } else if (event.key === "Escape") {
      this.hide();
    }
  },

  choose(i) {
    const target = this.target, name = this.items[i], typed = this.typed;
    this.hide();
    target.insert(name, typed);
  },

  hide() { if (this.box) this.box.hidden = true; },
};
