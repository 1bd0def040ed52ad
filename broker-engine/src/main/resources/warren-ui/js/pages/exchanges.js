// Exchanges: the list (paged, sortable, filterable) and a form to declare one.
import * as api from '../api.js';
import { h, clear, text, rate, attempt, field, input, select, form, parseArguments, section } from '../dom.js';
import { pager } from './paging.js';

export async function render(main, context) {
  const list = pager({
    title: 'Exchanges',
    path: () => (context.vhost ? `exchanges/${api.seg(context.vhost)}` : 'exchanges'),
    sortKeys: ['name', 'vhost', 'type'],
    columns: () => [
      { key: 'name', label: 'Name', sortable: true, render: (x) => h('a', { href: `#/exchanges/${api.seg(x.vhost)}/${api.seg(x.name)}` }, x.name === '' ? '(AMQP default)' : x.name) },
      { key: 'vhost', label: 'Virtual host', sortable: true },
      { key: 'type', label: 'Type', sortable: true },
      { key: 'features', label: 'Features', render: (x) => [x.durable ? 'durable' : 'transient', x.auto_delete ? 'auto-delete' : '', x.internal ? 'internal' : '', Object.keys(x.arguments || {}).join(' ')].filter(Boolean).join(', ') },
      { key: 'policy', label: 'Policy', render: (x) => text(x.policy) },
      { key: 'in', label: 'Message rate in', numeric: true, render: (x) => rate(x.message_stats && x.message_stats.publish_in_details) },
      { key: 'out', label: 'Message rate out', numeric: true, render: (x) => rate(x.message_stats && x.message_stats.publish_out_details) },
    ],
  });
  clear(main, h('h1', {}, 'Exchanges'), list.element, section('Add an exchange', declareForm(context, list.load)));
  await list.load();
}

function declareForm(context, reload) {
  return form('Add an exchange', [
    field('Virtual host', select('vhost', context.vhosts, context.vhost || context.vhosts[0])),
    field('Name', input('name', { required: true })),
    field('Type', select('type', ['direct', 'fanout', 'topic', 'headers'], 'direct')),
    field('Durability', select('durable', [['true', 'Durable'], ['false', 'Transient']], 'true')),
    field('Auto delete', select('auto_delete', [['false', 'No'], ['true', 'Yes']], 'false')),
    field('Internal', select('internal', [['false', 'No'], ['true', 'Yes']], 'false')),
    field('Arguments', h('textarea', { name: 'arguments', rows: 2, placeholder: 'alternate-exchange=my-ae' }), 'One name=value per line'),
  ], 'Add exchange', async (v) => {
    await attempt(() => api.put(`exchanges/${api.seg(v.vhost)}/${api.seg(v.name)}`, {
      type: v.type, durable: v.durable === 'true', auto_delete: v.auto_delete === 'true', internal: v.internal === 'true', arguments: parseArguments(v.arguments),
    }), `Exchange ${v.name} declared`);
    reload();
  }, { id: 'declare-exchange' });
}
