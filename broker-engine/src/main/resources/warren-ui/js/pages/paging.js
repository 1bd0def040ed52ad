// A server-paged, sortable, filterable list: the API's page, page_size, name, use_regex, sort and
// sort_reverse parameters, so that 10,000 queues cost one page of rows in the browser.
import * as api from '../api.js';
import { h, clear, table, field, input, select, notify } from '../dom.js';

export function pager({ title, path, columns, sortKeys = [], defaultSort = 'name', pageSize = 100, empty }) {
  const state = { page: 1, pageSize, name: '', regex: false, sort: defaultSort, reverse: false };
  const filter = input('filter', { type: 'search', placeholder: 'name or regular expression' });
  const regex = h('input', { type: 'checkbox', name: 'regex' });
  const size = select('page-size', ['20', '50', '100', '500'].map((n) => [n, n]), String(pageSize));
  const body = h('div', { class: 'list-body' });
  const status = h('p', { class: 'paging-status', 'aria-live': 'polite' });
  const nav = h('nav', { class: 'paging', 'aria-label': `${title} pages` });
  let timer = null;

  filter.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.name = filter.value; state.page = 1; load(); }, 300);
  });
  regex.addEventListener('change', () => { state.regex = regex.checked; state.page = 1; load(); });
  size.addEventListener('change', () => { state.pageSize = Number(size.value); state.page = 1; load(); });

  const element = h('div', { class: 'pager' },
    h('div', { class: 'filters' },
      field(`Filter ${title.toLowerCase()}`, filter),
      h('div', { class: 'field check' }, h('label', {}, regex, ' Regular expression')),
      field('Per page', size)),
    status, body, nav);

  function onSort(key) {
    if (state.sort === key) state.reverse = !state.reverse;
    else {
      state.sort = key;
      state.reverse = false;
    }
    load();
  }

  async function load() {
    let result;
    try {
      result = await api.page(path(), { ...state, sort: sortKeys.includes(state.sort) ? state.sort : '' });
    } catch (e) {
      notify(e.message);
      return;
    }
    // an API without paging answers a plain array: page it here
    if (Array.isArray(result)) {
      const all = result;
      result = { items: all.slice((state.page - 1) * state.pageSize, state.page * state.pageSize), page: state.page, page_count: Math.max(1, Math.ceil(all.length / state.pageSize)), filtered_count: all.length, total_count: all.length };
    }
    clear(body, table(columns(load), result.items || [], { sort: { key: state.sort, reverse: state.reverse, onSort }, empty: empty || `No ${title.toLowerCase()}.` }));
    const pageCount = Math.max(1, result.page_count || 1);
    clear(status, `${result.filtered_count ?? 0} of ${result.total_count ?? 0} ${title.toLowerCase()}, page ${result.page || 1} of ${pageCount}`);
    const go = (n) => { state.page = n; load(); };
    clear(nav,
      h('button', { type: 'button', disabled: state.page <= 1, on: { click: () => go(1) } }, 'First'),
      h('button', { type: 'button', disabled: state.page <= 1, on: { click: () => go(state.page - 1) } }, 'Previous'),
      h('span', {}, ` Page ${state.page} of ${pageCount} `),
      h('button', { type: 'button', disabled: state.page >= pageCount, on: { click: () => go(state.page + 1) } }, 'Next'),
      h('button', { type: 'button', disabled: state.page >= pageCount, on: { click: () => go(pageCount) } }, 'Last'));
    if (state.page > pageCount) go(pageCount);
  }

  return { element, load, state };
}
