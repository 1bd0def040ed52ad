// Queues: paged on the server for 10,000 queues and more, sortable, filtered by name or regular
// expression, refreshed every 5 seconds; a form to declare one.
import * as api from '../api.js';
import { h, clear, text, rate, number, attempt, field, input, select, form, parseArguments, section } from '../dom.js';
import { pager } from './paging.js';

export async function render(main, context) {
  const list = pager({
    title: 'Queues',
    path: () => (context.vhost ? `queues/${api.seg(context.vhost)}` : 'queues'),
    sortKeys: ['name', 'vhost', 'messages', 'messages_ready', 'messages_unacknowledged', 'consumers', 'state', 'policy'],
    columns: () => [
      { key: 'name', label: 'Name', sortable: true, render: (q) => h('a', { href: `#/queues/${api.seg(q.vhost)}/${api.seg(q.name)}`, class: 'queue-link' }, q.name) },
      { key: 'vhost', label: 'Virtual host', sortable: true },
      { key: 'features', label: 'Features', render: (q) => features(q) },
      { key: 'policy', label: 'Policy', sortable: true, render: (q) => text(q.policy) },
      { key: 'state', label: 'State', sortable: true },
      { key: 'consumers', label: 'Consumers', numeric: true, sortable: true, render: (q) => number(q.consumers) },
      { key: 'messages_ready', label: 'Ready', numeric: true, sortable: true, render: (q) => number(q.messages_ready) },
      { key: 'messages_unacknowledged', label: 'Unacked', numeric: true, sortable: true, render: (q) => number(q.messages_unacknowledged) },
      { key: 'messages', label: 'Total', numeric: true, sortable: true, render: (q) => h('span', { class: 'depth', 'data-queue': q.name }, number(q.messages)) },
      { key: 'incoming', label: 'Incoming', numeric: true, render: (q) => rate(q.message_stats && q.message_stats.publish_details) },
      { key: 'deliver', label: 'Deliver / get', numeric: true, render: (q) => rate(q.message_stats && q.message_stats.deliver_get_details) },
      { key: 'ack', label: 'Ack', numeric: true, render: (q) => rate(q.message_stats && q.message_stats.ack_details) },
    ],
  });
  clear(main, h('h1', {}, 'Queues'), list.element, section('Add a queue', declareForm(context, list.load)));
  await list.load();
  const timer = setInterval(() => list.load().catch(() => {}), 5000);
  return () => clearInterval(timer);
}

export function features(q) {
  const marks = [q.durable ? 'D' : '', q.auto_delete ? 'AD' : '', q.exclusive ? 'Excl' : ''].filter(Boolean);
  const args = Object.keys(q.arguments || {});
  return h('span', { title: [q.durable ? 'durable' : 'transient', q.auto_delete ? 'auto-delete' : '', q.exclusive ? 'exclusive' : '', ...args].filter(Boolean).join(', ') },
    [...marks, ...args.map((a) => a.replace(/^x-/, ''))].join(' '));
}

function declareForm(context, reload) {
  return form('Add a queue', [
    field('Virtual host', select('vhost', context.vhosts, context.vhost || context.vhosts[0])),
    field('Name', input('name', { required: true })),
    field('Durability', select('durable', [['true', 'Durable'], ['false', 'Transient']], 'true')),
    field('Auto delete', select('auto_delete', [['false', 'No'], ['true', 'Yes']], 'false')),
    field('Arguments', h('textarea', { name: 'arguments', rows: 3, placeholder: 'x-message-ttl=60000\nx-dead-letter-exchange=dlx' }), 'One name=value per line; numbers and true/false are typed'),
  ], 'Add queue', async (v) => {
    await attempt(() => api.put(`queues/${api.seg(v.vhost)}/${api.seg(v.name)}`, {
      durable: v.durable === 'true', auto_delete: v.auto_delete === 'true', arguments: parseArguments(v.arguments),
    }), `Queue ${v.name} declared`);
    reload();
  }, { id: 'declare-queue' });
}
