// Connections: who is connected, from where, as whom, in which state (blocked, flow), with what
// rates; client properties on demand; close with a reason (the client sees 320 and the reason).
import * as api from '../api.js';
import { h, clear, text, rate, number, attempt, field, input } from '../dom.js';
import { pager } from './paging.js';

export async function render(main, context) {
  const list = pager({
    title: 'Connections',
    path: () => (context.vhost ? `vhosts/${api.seg(context.vhost)}/connections` : 'connections'),
    sortKeys: ['name', 'user', 'vhost', 'state', 'channels'],
    defaultSort: 'name',
    columns: (reload) => [
      { key: 'name', label: 'Name', sortable: true, render: (c) => h('span', {}, text(c.name), c.client_properties && c.client_properties.connection_name ? h('small', { class: 'sub' }, text(c.client_properties.connection_name)) : null) },
      { key: 'vhost', label: 'Virtual host', sortable: true },
      { key: 'user', label: 'User', sortable: true },
      { key: 'peer', label: 'Peer', render: (c) => `${text(c.peer_host)}:${text(c.peer_port)}` },
      { key: 'state', label: 'State', sortable: true, render: (c) => h('span', { class: `state ${text(c.state)}` }, text(c.state)) },
      { key: 'protocol', label: 'Protocol', render: (c) => `${text(c.protocol)}${c.ssl ? ' (TLS)' : ''}` },
      { key: 'channels', label: 'Channels', numeric: true, sortable: true, render: (c) => number(c.channels) },
      { key: 'recv', label: 'From client', numeric: true, render: (c) => rate(c.recv_oct_details).replace('/s', ' B/s') },
      { key: 'send', label: 'To client', numeric: true, render: (c) => rate(c.send_oct_details).replace('/s', ' B/s') },
      { key: 'details', label: 'Details', render: (c) => details(c, reload) },
    ],
  });
  clear(main, h('h1', {}, 'Connections'), list.element);
  await list.load();
  const timer = setInterval(() => list.load().catch(() => {}), 5000);
  return () => clearInterval(timer);
}

function details(connection, reload) {
  const reason = input('reason', { value: 'Closed via management UI' });
  const closeForm = h('form', { class: 'inline', 'aria-label': `Close connection ${connection.name}` },
    field('Reason', reason), h('button', { type: 'submit', class: 'danger' }, 'Close connection'));
  closeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    await attempt(() => api.del(`connections/${api.seg(connection.name)}`, { 'X-Reason': reason.value }),
      `Connection ${connection.name} closed`);
    reload();
  });
  const properties = connection.client_properties || {};
  return h('details', {},
    h('summary', {}, 'Client properties, close'),
    h('dl', { class: 'props' },
      Object.entries(properties).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, text(v))]),
      h('dt', {}, 'Connected at'), h('dd', {}, connection.connected_at ? new Date(connection.connected_at).toLocaleString() : ''),
      h('dt', {}, 'Authentication'), h('dd', {}, text(connection.auth_mechanism)),
      h('dt', {}, 'Heartbeat'), h('dd', {}, `${text(connection.timeout)} s`),
      h('dt', {}, 'Frame max'), h('dd', {}, text(connection.frame_max))),
    closeForm);
}
