// The shell: login, navigation by the user's tags, the vhost filter, and a hash router that gives
// each page its own module. A page exports render(main, context, params) and may return a
// function that stops its timers when the user leaves it.
import * as api from './api.js';
import { h, clear, notify, field, input } from './dom.js';
import * as overview from './pages/overview.js';
import * as connections from './pages/connections.js';
import * as channels from './pages/channels.js';
import * as exchanges from './pages/exchanges.js';
import * as exchange from './pages/exchange.js';
import * as queues from './pages/queues.js';
import * as queue from './pages/queue.js';
import * as admin from './pages/admin.js';

const routes = [
  { path: /^\/?$/, page: overview, nav: 'overview' },
  { path: /^\/connections$/, page: connections, nav: 'connections' },
  { path: /^\/channels$/, page: channels, nav: 'channels' },
  { path: /^\/exchanges$/, page: exchanges, nav: 'exchanges' },
  { path: /^\/exchanges\/([^/]+)\/([^/]*)$/, page: exchange, nav: 'exchanges' },
  { path: /^\/queues$/, page: queues, nav: 'queues' },
  { path: /^\/queues\/([^/]+)\/([^/]+)$/, page: queue, nav: 'queues' },
  { path: /^\/admin(?:\/([a-z-]+))?$/, page: admin, nav: 'admin' },
];

const context = {
  user: null,
  tags: [],
  vhosts: [],
  /** '' means all the vhosts the user may see. */
  vhost: sessionStorage.getItem('warren.vhost') || '',
  isAdmin() { return this.tags.includes('administrator'); },
  canSeeAll() { return this.tags.includes('administrator') || this.tags.includes('monitoring'); },
  canSetPolicies() { return this.isAdmin() || this.tags.includes('policymaker'); },
};

let stopPage = null;

window.addEventListener('error', (event) => notify(`Unexpected error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => notify(event.reason && event.reason.message ? event.reason.message : String(event.reason)));
window.addEventListener('hashchange', route);
document.addEventListener('DOMContentLoaded', start);

async function start() {
  if (api.loggedIn()) {
    try {
      await enter();
      return;
    } catch (e) {
      api.logout();
    }
  }
  showLogin();
}

function showLogin(error) {
  document.body.classList.remove('in');
  document.getElementById('nav').replaceChildren();
  document.getElementById('session').replaceChildren();
  const main = document.getElementById('main');
  const username = input('username', { autocomplete: 'username', required: true, autofocus: true });
  const password = input('password', { type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { id: 'login', class: 'card', 'aria-label': 'Log in' },
    h('h2', {}, 'Log in to Warren'),
    field('Username', username),
    field('Password', password),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Log in')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    api.login(username.value, password.value);
    try {
      await enter();
    } catch (e) {
      api.logout();
      notify(e.status === 401 ? 'Login failed: wrong username or password.' : e.message);
    }
  });
  clear(main, form);
  if (error) notify(error);
  username.focus();
}

async function enter() {
  const user = await api.get('whoami');
  context.user = user.name;
  context.tags = api.tagsOf(user);
  if (context.tags.length === 0 || context.tags.every((t) => t === 'impersonator')) {
    throw Object.assign(new Error('This user has no management tag: ask an administrator for one.'), { status: 403 });
  }
  context.vhosts = (await api.get('vhosts')).map((v) => v.name).sort();
  if (context.vhost && !context.vhosts.includes(context.vhost)) context.vhost = '';
  document.body.classList.add('in');
  renderChrome();
  route();
}

function renderChrome() {
  const items = [
    ['overview', '#/', 'Overview'],
    ['connections', '#/connections', 'Connections'],
    ['channels', '#/channels', 'Channels'],
    ['exchanges', '#/exchanges', 'Exchanges'],
    ['queues', '#/queues', 'Queues'],
  ];
  if (context.isAdmin() || context.canSetPolicies()) items.push(['admin', '#/admin', 'Admin']);
  clear(document.getElementById('nav'),
    h('ul', {}, items.map(([key, href, label]) => h('li', {}, h('a', { href, 'data-nav': key }, label)))));

  const vhostSelect = h('select', { id: 'vhost-filter', name: 'vhost' },
    h('option', { value: '' }, 'All virtual hosts'),
    context.vhosts.map((v) => h('option', { value: v, selected: v === context.vhost }, v)));
  vhostSelect.addEventListener('change', () => {
    context.vhost = vhostSelect.value;
    sessionStorage.setItem('warren.vhost', context.vhost);
    route();
  });
  clear(document.getElementById('session'),
    h('label', { for: 'vhost-filter' }, 'Virtual host'), vhostSelect,
    h('span', { class: 'user' }, 'User ', h('strong', { id: 'current-user' }, context.user),
      context.tags.length ? ` (${context.tags.join(', ')})` : ''),
    h('button', { type: 'button', id: 'logout', on: { click: () => { api.logout(); location.hash = '#/'; showLogin(); } } }, 'Log out'));
}

export async function refreshVhosts() {
  context.vhosts = (await api.get('vhosts')).map((v) => v.name).sort();
  renderChrome();
}
context.refreshVhosts = refreshVhosts;

async function route() {
  if (!context.user) return;
  if (stopPage) {
    stopPage();
    stopPage = null;
  }
  const path = location.hash.replace(/^#/, '') || '/';
  const match = routes.map((r) => ({ r, m: path.match(r.path) })).find((x) => x.m);
  for (const a of document.querySelectorAll('#nav a')) {
    a.toggleAttribute('aria-current', match && a.dataset.nav === match.r.nav);
    if (match && a.dataset.nav === match.r.nav) a.setAttribute('aria-current', 'page');
  }
  const main = document.getElementById('main');
  document.getElementById('messages').replaceChildren();
  if (!match) {
    clear(main, h('h1', {}, 'Not found'), h('p', {}, 'No page has this address.'));
    return;
  }
  clear(main, h('p', { class: 'loading' }, 'Loading…'));
  const params = match.m.slice(1).map((p) => (p === undefined ? undefined : decodeURIComponent(p)));
  try {
    const stop = await match.r.page.render(main, context, params);
    if (typeof stop === 'function') stopPage = stop;
  } catch (e) {
    if (e.status === 401) {
      api.logout();
      showLogin('Your session has ended: log in again.');
      return;
    }
    clear(main, h('h1', {}, 'This page could not be shown'));
    notify(e.message || String(e));
  }
}
