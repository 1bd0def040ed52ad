// Building the page. Every name, payload and header from the broker goes in as text
// (textContent, attribute values): nothing from the API is ever parsed as HTML.

/** h('tag', {attributes, on: {event: fn}}, ...children): children are nodes or text. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    } else if (name === 'class') {
      element.className = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A message at the top of the page; errors stay until dismissed, notes fade. */
export function notify(text, kind = 'error') {
  const area = document.getElementById('messages');
  const message = h('div', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', {}, text),
    h('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss message', on: { click: () => message.remove() } }, '×'));
  area.append(message);
  if (kind !== 'error') setTimeout(() => message.remove(), 6000);
  return message;
}

/** Runs an action from a button or form; a failure becomes a message, never a blank page. */
export async function attempt(action, success) {
  try {
    const result = await action();
    if (success) notify(success, 'note');
    return result;
  } catch (e) {
    notify(e.message || String(e));
    return undefined;
  }
}

/**
 * A table: columns are { key, label, render(row) -> node|text, sortable, numeric }.
 * sort: { key, reverse, onSort(key) } makes sortable headers buttons with aria-sort.
 */
export function table(columns, rows, { sort, empty = 'Nothing to show.', caption } = {}) {
  const head = h('tr', {}, columns.map((column) => {
    const label = column.label;
    if (!sort || !column.sortable) return h('th', { scope: 'col', class: column.numeric ? 'num' : '' }, label);
    const active = sort.key === column.key;
    return h('th', {
      scope: 'col',
      class: column.numeric ? 'num' : '',
      'aria-sort': active ? (sort.reverse ? 'descending' : 'ascending') : 'none',
    }, h('button', { type: 'button', class: 'sort', on: { click: () => sort.onSort(column.key) } },
      label, active ? (sort.reverse ? ' ▼' : ' ▲') : ''));
  }));
  const body = rows.length === 0
    ? [h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty))]
    : rows.map((row) => h('tr', {}, columns.map((column) =>
      h('td', { class: column.numeric ? 'num' : '' }, column.render ? column.render(row) : text(row[column.key])))));
  return h('div', { class: 'table-wrap' },
    h('table', {}, caption ? h('caption', {}, caption) : null, h('thead', {}, head), h('tbody', {}, body)));
}

export function text(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function number(value) {
  return value === undefined || value === null ? '' : Number(value).toLocaleString('en');
}

export function rate(details) {
  const value = details && typeof details.rate === 'number' ? details.rate : 0;
  return `${value.toFixed(value < 10 ? 1 : 0)}/s`;
}

/** A labelled input: label and control tied by id, for screen readers and clicks. */
let nextId = 0;
export function field(label, control, hint) {
  const id = control.id || `f${++nextId}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control,
    hint ? h('small', {}, hint) : null);
}

export function input(name, attributes = {}) {
  return h('input', { name, type: 'text', ...attributes });
}

export function select(name, options, selected) {
  return h('select', { name }, options.map((option) => {
    const [value, label] = Array.isArray(option) ? option : [option, option];
    return h('option', { value, selected: value === selected }, label);
  }));
}

export function button(label, onClick, attributes = {}) {
  return h('button', { type: 'button', ...attributes, on: { click: onClick } }, label);
}

/** A form whose submit runs onSubmit(values) and does not reload the page. */
export function form(title, fields, submitLabel, onSubmit, attributes = {}) {
  const element = h('form', { ...attributes, 'aria-label': title },
    h('h3', {}, title), fields, h('div', { class: 'actions' }, h('button', { type: 'submit' }, submitLabel)));
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(element).entries());
    for (const box of element.querySelectorAll('input[type=checkbox]')) values[box.name] = box.checked;
    await onSubmit(values, element);
  });
  return element;
}

/** A JSON text field's value: '' is {}, anything else must parse. */
export function parseJsonField(textValue, what) {
  if (!textValue || !textValue.trim()) return {};
  try {
    return JSON.parse(textValue);
  } catch (e) {
    throw new Error(`${what} is not valid JSON: ${e.message}`);
  }
}

/** Arguments typed as in RabbitMQ's UI: "x-message-ttl=60000" lines become numbers, booleans or text. */
export function parseArguments(textValue) {
  const args = {};
  for (const line of (textValue || '').split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const at = trimmed.indexOf('=');
    if (at <= 0) throw new Error(`Argument "${trimmed}" is not name=value`);
    const key = trimmed.slice(0, at).trim();
    const raw = trimmed.slice(at + 1).trim();
    if (/^-?\d+$/.test(raw)) args[key] = Number(raw);
    else if (raw === 'true' || raw === 'false') args[key] = raw === 'true';
    else args[key] = raw;
  }
  return args;
}

export function section(title, ...children) {
  const element = h('section', { 'aria-label': title }, h('h2', {}, title), children);
  // a form that only repeats the section's title keeps it as its accessible name, not as a heading
  for (const f of element.querySelectorAll(':scope > form')) {
    if (f.getAttribute('aria-label') === title) f.querySelector('h3').remove();
  }
  return element;
}

export function link(href, label) {
  return h('a', { href }, label);
}
