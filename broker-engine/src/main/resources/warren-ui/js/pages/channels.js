// Channels: per connection, with their state (flow, idle), prefetch, unacknowledged and
// unconfirmed messages, consumers and rates.
import * as api from '../api.js';
import { h, clear, text, rate, number } from '../dom.js';
import { pager } from './paging.js';

export async function render(main, context) {
  const list = pager({
    title: 'Channels',
    path: () => (context.vhost ? `vhosts/${api.seg(context.vhost)}/channels` : 'channels'),
    sortKeys: ['name', 'user', 'vhost', 'state', 'consumer_count', 'messages_unacknowledged'],
    columns: () => [
      { key: 'name', label: 'Channel', sortable: true },
      { key: 'vhost', label: 'Virtual host', sortable: true },
      { key: 'user', label: 'User', sortable: true },
      { key: 'state', label: 'State', sortable: true, render: (c) => h('span', { class: `state ${text(c.state)}` }, text(c.state)) },
      { key: 'mode', label: 'Mode', render: (c) => [c.confirm ? 'confirm' : '', c.transactional ? 'transactional' : ''].filter(Boolean).join(', ') },
      { key: 'prefetch_count', label: 'Prefetch', numeric: true, render: (c) => number(c.prefetch_count) },
      { key: 'consumer_count', label: 'Consumers', numeric: true, sortable: true, render: (c) => number(c.consumer_count) },
      { key: 'messages_unacknowledged', label: 'Unacked', numeric: true, sortable: true, render: (c) => number(c.messages_unacknowledged) },
      { key: 'messages_unconfirmed', label: 'Unconfirmed', numeric: true, render: (c) => number(c.messages_unconfirmed) },
      { key: 'publish', label: 'Publish', numeric: true, render: (c) => rate(c.message_stats && c.message_stats.publish_details) },
      { key: 'deliver', label: 'Deliver', numeric: true, render: (c) => rate(c.message_stats && c.message_stats.deliver_get_details) },
      { key: 'ack', label: 'Ack', numeric: true, render: (c) => rate(c.message_stats && c.message_stats.ack_details) },
    ],
  });
  clear(main, h('h1', {}, 'Channels'), list.element);
  await list.load();
  const timer = setInterval(() => list.load().catch(() => {}), 5000);
  return () => clearInterval(timer);
}
