// One queue: depth and rates, consumers, bindings, publish, get messages (ack or requeue, headers
// and payload shown as text), move messages to another queue, purge and delete.
import * as api from '../api.js';
import { h, clear, text, number, rate, table, section, attempt, field, input, select, form, parseArguments, button, notify } from '../dom.js';
import { features } from './queues.js';
import { publish, publishForm } from './publish.js';

export async function render(main, context, [vhost, name]) {
  const path = `queues/${api.seg(vhost)}/${api.seg(name)}`;
  const summary = h('div', { id: 'queue-summary' });
  const consumers = h('div', {});
  const bindings = h('div', {});
  const messages = h('div', { id: 'messages-got', 'aria-live': 'polite' });

  async function refresh() {
    const q = await api.get(path);
    const stats = q.message_stats || {};
    clear(summary, h('dl', { class: 'props' },
      h('dt', {}, 'Virtual host'), h('dd', {}, vhost),
      h('dt', {}, 'Features'), h('dd', {}, features(q)),
      h('dt', {}, 'Arguments'), h('dd', {}, text(q.arguments)),
      h('dt', {}, 'Policy'), h('dd', {}, text(q.policy)),
      h('dt', {}, 'Effective policy definition'), h('dd', {}, text(q.effective_policy_definition)),
      h('dt', {}, 'State'), h('dd', {}, text(q.state)),
      h('dt', {}, 'Messages'), h('dd', { id: 'queue-messages' }, number(q.messages)),
      h('dt', {}, 'Ready'), h('dd', { id: 'queue-ready' }, number(q.messages_ready)),
      h('dt', {}, 'Unacknowledged'), h('dd', {}, number(q.messages_unacknowledged)),
      h('dt', {}, 'Consumers'), h('dd', {}, number(q.consumers)),
      h('dt', {}, 'Incoming'), h('dd', {}, rate(stats.publish_details)),
      h('dt', {}, 'Deliver / get'), h('dd', {}, rate(stats.deliver_get_details)),
      h('dt', {}, 'Ack'), h('dd', {}, rate(stats.ack_details))));
    const details = Array.isArray(q.consumer_details) ? q.consumer_details : (await api.get(`consumers/${api.seg(vhost)}`)).filter((c) => c.queue && c.queue.name === name);
    clear(consumers, table([
      { key: 'channel', label: 'Channel', render: (c) => text(c.channel_details && c.channel_details.name) },
      { key: 'consumer_tag', label: 'Consumer tag' },
      { key: 'ack_required', label: 'Ack required', render: (c) => (c.ack_required ? 'yes' : 'no') },
      { key: 'exclusive', label: 'Exclusive', render: (c) => (c.exclusive ? 'yes' : 'no') },
      { key: 'prefetch_count', label: 'Prefetch', numeric: true },
      { key: 'active', label: 'Active', render: (c) => (c.active === false ? 'no' : 'yes') },
      { key: 'arguments', label: 'Arguments', render: (c) => text(c.arguments) },
    ], details, { empty: 'No consumers.' }));
  }

  async function loadBindings() {
    const list = await api.get(`${path}/bindings`);
    clear(bindings, table([
      { key: 'source', label: 'From', render: (b) => (b.source === '' ? '(default exchange binding)' : h('a', { href: `#/exchanges/${api.seg(vhost)}/${api.seg(b.source)}` }, b.source)) },
      { key: 'routing_key', label: 'Routing key' },
      { key: 'arguments', label: 'Arguments', render: (b) => text(b.arguments) },
      { key: 'action', label: 'Action', render: (b) => (b.source === '' ? '' : button('Unbind', async () => {
        await attempt(() => api.del(`bindings/${api.seg(vhost)}/e/${api.seg(b.source)}/q/${api.seg(name)}/${api.seg(b.properties_key)}`), 'Binding removed');
        loadBindings();
      }, { class: 'small' })) },
    ], list));
  }

  const bindForm = form('Add binding to this queue', [
    field('From exchange', input('source', { required: true })),
    field('Routing key', input('routing_key')),
    field('Arguments', h('textarea', { name: 'arguments', rows: 2 }), 'One name=value per line'),
  ], 'Bind', async (v) => {
    await attempt(() => api.post(`bindings/${api.seg(vhost)}/e/${api.seg(v.source)}/q/${api.seg(name)}`, { routing_key: v.routing_key, arguments: parseArguments(v.arguments) }), 'Binding added');
    loadBindings();
  });

  const getForm = form('Get messages', [
    field('Acknowledgement mode', select('ackmode', [
      ['ack_requeue_true', 'Nack message, requeue true'],
      ['reject_requeue_true', 'Reject, requeue true'],
      ['ack_requeue_false', 'Automatic ack (removes them)'],
    ], 'ack_requeue_true')),
    field('Encoding', select('encoding', [['auto', 'Automatic string/base64'], ['base64', 'base64']], 'auto')),
    field('Messages', input('count', { type: 'number', min: 1, max: 1000, value: 1 })),
  ], 'Get messages', async (v) => {
    const got = await attempt(() => api.post(`${path}/get`, { count: Number(v.count), ackmode: v.ackmode, encoding: v.encoding, truncate: 50000 }));
    if (got) {
      clear(messages, got.length === 0 ? h('p', {}, 'The queue is empty.') : got.map(message));
      refresh().catch(() => {});
    }
  }, { id: 'get-messages' });

  const moveForm = form('Move messages', [
    field('Destination queue', input('destination', { required: true })),
    field('How many', input('count', { type: 'number', min: 1, value: 1 })),
  ], 'Move messages', async (v) => {
    const moved = await attempt(() => move(vhost, name, v.destination, Number(v.count)));
    if (moved !== undefined) notify(`Moved ${moved} message(s) to ${v.destination}.`, 'note');
    refresh().catch(() => {});
  }, { id: 'move-messages' });

  const purgeButton = button('Purge messages', async () => {
    if (!window.confirm(`Purge all ready messages of ${name}?`)) return;
    await attempt(() => api.del(`${path}/contents`), `Queue ${name} purged`);
    refresh().catch(() => {});
  }, { class: 'danger', id: 'purge' });
  const deleteButton = button('Delete queue', async () => {
    if (!window.confirm(`Delete queue ${name}?`)) return;
    const done = await attempt(() => api.del(path).then(() => true), `Queue ${name} deleted`);
    if (done) location.hash = '#/queues';
  }, { class: 'danger', id: 'delete-queue' });

  clear(main,
    h('h1', {}, 'Queue ', h('span', { class: 'name', id: 'queue-name' }, name)),
    summary,
    section('Consumers', consumers),
    section('Bindings', bindings, bindForm),
    section('Publish message', publishForm(vhost, '', name)),
    section('Get messages', getForm, messages),
    section('Move messages', h('p', {}, 'Each message is taken from this queue and published to the destination through the default exchange, one at a time, with its properties; if publishing fails, the message is published back to this queue.'), moveForm),
    section('Purge and delete', h('div', { class: 'actions' }, purgeButton, deleteButton)));
  await Promise.all([refresh(), loadBindings()]);
  const timer = setInterval(() => refresh().catch(() => {}), 5000);
  return () => clearInterval(timer);
}

/** One message got from the queue: every field as text, the payload in a <pre>. */
function message(m, index) {
  const props = propertiesOf(m);
  const headers = props.headers || {};
  const rest = Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'headers'));
  return h('article', { class: 'got-message', 'aria-label': `Message ${index + 1}` },
    h('h3', {}, `Message ${index + 1}`),
    h('dl', { class: 'props' },
      h('dt', {}, 'Exchange'), h('dd', {}, m.exchange === '' ? '(AMQP default)' : text(m.exchange)),
      h('dt', {}, 'Routing key'), h('dd', {}, text(m.routing_key)),
      h('dt', {}, 'Redelivered'), h('dd', {}, m.redelivered ? 'yes' : 'no'),
      h('dt', {}, 'Messages left'), h('dd', {}, number(m.message_count)),
      h('dt', {}, 'Properties'), h('dd', {}, h('pre', {}, JSON.stringify(rest, null, 2))),
      h('dt', {}, 'Headers'), h('dd', {}, h('pre', { class: 'headers' }, JSON.stringify(headers, null, 2))),
      h('dt', {}, `Payload (${number(m.payload_bytes)} bytes, ${text(m.payload_encoding)})`),
      h('dd', {}, h('pre', { class: 'payload' }, text(m.payload)))));
}

/**
 * Moves count messages: get one (removing it), publish it to the destination queue with its
 * properties; when that publish fails, publish it back to the source and stop. Not atomic: a
 * browser closed between the two steps loses that one message, which is why it goes one by one.
 */
async function move(vhost, source, destination, count) {
  let moved = 0;
  for (let i = 0; i < count; i++) {
    const got = await api.post(`queues/${api.seg(vhost)}/${api.seg(source)}/get`, { count: 1, ackmode: 'ack_requeue_false', encoding: 'base64', truncate: 2147483647 });
    if (!got || got.length === 0) break;
    const m = got[0];
    const properties = propertiesOf(m);
    try {
      const result = await publish(vhost, '', destination, m.payload, properties, 'base64');
      if (result && result.routed === false) throw new Error(`queue ${destination} does not exist`);
    } catch (e) {
      await publish(vhost, '', source, m.payload, properties, 'base64');
      throw new Error(`Moved ${moved}, then stopped: ${e.message} (the message went back to ${source})`);
    }
    moved++;
  }
  return moved;
}

/** RabbitMQ's API sends a message without properties as [] (an empty Erlang list). */
function propertiesOf(m) {
  return m.properties && !Array.isArray(m.properties) ? m.properties : {};
}
