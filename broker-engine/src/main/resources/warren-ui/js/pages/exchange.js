// One exchange: its details, bindings in and out (add and remove), publishing, deletion.
import * as api from '../api.js';
import { h, clear, text, table, section, attempt, field, input, select, form, parseArguments, button } from '../dom.js';
import { publishForm } from './publish.js';

export async function render(main, context, [vhost, name]) {
  const apiName = name === '' ? 'amq.default' : name;
  const path = `exchanges/${api.seg(vhost)}/${api.seg(apiName)}`;
  const exchange = await api.get(path);
  const bindings = h('div', {});

  async function loadBindings() {
    const [out, inward] = await Promise.all([api.get(`${path}/bindings/source`), api.get(`${path}/bindings/destination`)]);
    const unbind = (b) => button('Unbind', async () => {
      const kind = b.destination_type === 'queue' ? 'q' : 'e';
      await attempt(() => api.del(`bindings/${api.seg(vhost)}/e/${api.seg(b.source)}/${kind}/${api.seg(b.destination)}/${api.seg(b.properties_key)}`), 'Binding removed');
      loadBindings();
    }, { class: 'small' });
    clear(bindings,
      h('h3', {}, 'This exchange routes to'),
      table([
        { key: 'destination', label: 'To', render: (b) => h('a', { href: b.destination_type === 'queue' ? `#/queues/${api.seg(vhost)}/${api.seg(b.destination)}` : `#/exchanges/${api.seg(vhost)}/${api.seg(b.destination)}` }, `${b.destination} (${b.destination_type})`) },
        { key: 'routing_key', label: 'Routing key' },
        { key: 'arguments', label: 'Arguments', render: (b) => text(b.arguments) },
        { key: 'action', label: 'Action', render: unbind },
      ], out, { empty: 'No bindings from this exchange.' }),
      h('h3', {}, 'Exchanges routing to this one'),
      table([
        { key: 'source', label: 'From', render: (b) => h('a', { href: `#/exchanges/${api.seg(vhost)}/${api.seg(b.source)}` }, b.source) },
        { key: 'routing_key', label: 'Routing key' },
        { key: 'arguments', label: 'Arguments', render: (b) => text(b.arguments) },
        { key: 'action', label: 'Action', render: unbind },
      ], inward, { empty: 'No exchange binds to this one.' }));
  }

  const bindForm = form('Add binding from this exchange', [
    field('Destination type', select('kind', [['q', 'Queue'], ['e', 'Exchange']], 'q')),
    field('Destination', input('destination', { required: true })),
    field('Routing key', input('routing_key')),
    field('Arguments', h('textarea', { name: 'arguments', rows: 2 }), 'One name=value per line'),
  ], 'Bind', async (v) => {
    await attempt(() => api.post(`bindings/${api.seg(vhost)}/e/${api.seg(apiName)}/${v.kind}/${api.seg(v.destination)}`, { routing_key: v.routing_key, arguments: parseArguments(v.arguments) }), 'Binding added');
    loadBindings();
  });

  const deleteButton = button('Delete this exchange', async () => {
    if (!window.confirm(`Delete exchange ${name} in ${vhost}?`)) return;
    const done = await attempt(() => api.del(path).then(() => true), `Exchange ${name} deleted`);
    if (done) location.hash = '#/exchanges';
  }, { class: 'danger', id: 'delete-exchange' });

  clear(main,
    h('h1', {}, 'Exchange ', h('span', { class: 'name', id: 'exchange-name' }, name === '' ? '(AMQP default)' : name)),
    h('dl', { class: 'props' },
      h('dt', {}, 'Virtual host'), h('dd', {}, vhost),
      h('dt', {}, 'Type'), h('dd', {}, text(exchange.type)),
      h('dt', {}, 'Features'), h('dd', {}, [exchange.durable ? 'durable' : 'transient', exchange.auto_delete ? 'auto-delete' : '', exchange.internal ? 'internal' : ''].filter(Boolean).join(', ')),
      h('dt', {}, 'Arguments'), h('dd', {}, text(exchange.arguments)),
      h('dt', {}, 'Policy'), h('dd', {}, text(exchange.policy))),
    section('Bindings', bindings, name === '' ? null : bindForm),
    section('Publish message', publishForm(vhost, name)),
    name === '' || name.startsWith('amq.') ? null : section('Delete', deleteButton));
  await loadBindings();
}
