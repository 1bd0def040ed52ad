// Publishing a message through the API (exchange publish): the form the exchange and queue pages
// share, and the call that moving messages between queues uses too.
import * as api from '../api.js';
import { h, field, input, select, form, attempt, notify, parseArguments } from '../dom.js';

export function publish(vhost, exchange, routingKey, payload, properties = {}, encoding = 'string') {
  const name = exchange === '' ? 'amq.default' : exchange;
  return api.post(`exchanges/${api.seg(vhost)}/${api.seg(name)}/publish`, {
    properties, routing_key: routingKey, payload, payload_encoding: encoding,
  });
}

/** The form; routingKey is fixed (publishing to a queue) or asked for. */
export function publishForm(vhost, exchange, fixedRoutingKey) {
  const fields = [];
  if (fixedRoutingKey === undefined) fields.push(field('Routing key', input('routing_key')));
  fields.push(
    field('Delivery mode', select('delivery_mode', [['1', '1 - Non-persistent'], ['2', '2 - Persistent']], '1')),
    field('Headers', h('textarea', { name: 'headers', rows: 2, placeholder: 'x-trace=on' }), 'One name=value per line'),
    field('Properties', h('textarea', { name: 'properties', rows: 2, placeholder: 'content_type=text/plain' }), 'One name=value per line: content_type, correlation_id, reply_to, expiration, message_id, priority, type, user_id, app_id'),
    field('Payload', h('textarea', { name: 'payload', rows: 4 })));
  return form('Publish message', fields, 'Publish message', async (v) => {
    await attempt(async () => {
      const properties = parseArguments(v.properties);
      properties.delivery_mode = Number(v.delivery_mode);
      const headers = parseArguments(v.headers);
      if (Object.keys(headers).length) properties.headers = headers;
      const key = fixedRoutingKey === undefined ? v.routing_key : fixedRoutingKey;
      const result = await publish(vhost, exchange, key, v.payload, properties);
      if (result && result.routed === false) notify('Message published, but not routed to any queue.', 'note');
      else notify('Message published.', 'note');
    });
  }, { class: 'publish', id: 'publish-form' });
}
