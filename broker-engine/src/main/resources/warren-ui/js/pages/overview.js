// Overview: totals, live charts of message rates and queued messages, nodes with their alarms,
// and listeners. Refreshed every 5 seconds while shown.
import * as api from '../api.js';
import { h, clear, section, table, number, text, rate } from '../dom.js';

const POINTS = 60;
const REFRESH_MS = 5000;

export async function render(main, context) {
  const rateChart = chart('Message rates', 'messages per second',
    ['Publish', 'Confirm', 'Deliver / get', 'Acknowledge'], ['#2b6cb0', '#805ad5', '#2f855a', '#c05621']);
  const queuedChart = chart('Queued messages', 'messages',
    ['Ready', 'Unacknowledged'], ['#b7791f', '#c53030']);
  const totals = h('div', { class: 'totals', id: 'totals' });
  const nodes = h('div', { id: 'nodes' });
  const listeners = h('div', { id: 'listeners' });
  const alarms = h('div', { id: 'alarms', 'aria-live': 'polite' });
  clear(main,
    h('h1', {}, 'Overview'),
    alarms,
    totals,
    h('div', { class: 'charts' }, rateChart.element, queuedChart.element),
    section('Nodes', nodes),
    section('Listeners', listeners));

  async function refresh() {
    const [overview, nodeList] = await Promise.all([
      api.get('overview'),
      context.canSeeAll() ? api.get('nodes') : Promise.resolve([]),
    ]);
    const stats = overview.message_stats || {};
    const queued = overview.queue_totals || {};
    const objects = overview.object_totals || {};
    rateChart.push([stats.publish_details, stats.confirm_details, stats.deliver_get_details, stats.ack_details]
      .map((d) => (d && typeof d.rate === 'number' ? d.rate : 0)));
    queuedChart.push([queued.messages_ready || 0, queued.messages_unacknowledged || 0]);
    clear(totals,
      total('Connections', objects.connections), total('Channels', objects.channels),
      total('Exchanges', objects.exchanges), total('Queues', objects.queues),
      total('Consumers', objects.consumers), total('Ready', queued.messages_ready),
      total('Unacked', queued.messages_unacknowledged), total('Publish', rate(stats.publish_details)),
      total('Deliver', rate(stats.deliver_get_details)));
    const raised = nodeList.flatMap((n) => [
      n.mem_alarm ? `Memory alarm on ${n.name}: publishers are blocked` : null,
      n.disk_free_alarm ? `Disk alarm on ${n.name}: free disk space is below the limit, publishers are blocked` : null,
    ]).filter(Boolean);
    clear(alarms, raised.map((a) => h('p', { class: 'message error', role: 'alert' }, a)));
    clear(nodes, nodeList.length === 0
      ? h('p', {}, `Node ${text(overview.node)}, ${text(overview.product_name || 'Warren')} ${text(overview.product_version || overview.rabbitmq_version)}`)
      : table([
        { key: 'name', label: 'Name' },
        { key: 'running', label: 'Running', render: (n) => (n.running === false ? 'no' : 'yes') },
        { key: 'uptime', label: 'Uptime', render: (n) => duration(n.uptime) },
        { key: 'mem_used', label: 'Memory', numeric: true, render: (n) => `${bytes(n.mem_used)} of ${bytes(n.mem_limit)}` },
        { key: 'disk_free', label: 'Disk free', numeric: true, render: (n) => `${bytes(n.disk_free)} (limit ${bytes(n.disk_free_limit)})` },
        { key: 'fd_used', label: 'File descriptors', numeric: true, render: (n) => (n.fd_total ? `${number(n.fd_used)} / ${number(n.fd_total)}` : 'n/a') },
        { key: 'alarms', label: 'Alarms', render: (n) => [n.mem_alarm ? 'memory' : '', n.disk_free_alarm ? 'disk' : ''].filter(Boolean).join(', ') || 'none' },
      ], nodeList, { caption: `${text(overview.product_name || 'Warren')} ${text(overview.product_version || overview.rabbitmq_version)}, cluster ${text(overview.cluster_name)}` }));
    clear(listeners, table([
      { key: 'node', label: 'Node' },
      { key: 'protocol', label: 'Protocol' },
      { key: 'ip_address', label: 'Bound to' },
      { key: 'port', label: 'Port', numeric: true },
    ], overview.listeners || []));
  }

  await refresh();
  const timer = setInterval(() => refresh().catch(() => {}), REFRESH_MS);
  return () => {
    clearInterval(timer);
    rateChart.destroy();
    queuedChart.destroy();
  };
}

function total(label, value) {
  return h('div', { class: 'total' }, h('span', { class: 'value' }, typeof value === 'string' ? value : number(value || 0)), h('span', { class: 'label' }, label));
}

/** A Chart.js line chart of the last POINTS samples; a text fallback when Chart.js is missing. */
function chart(title, unit, labels, colours) {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${title} over the last five minutes` });
  const element = h('figure', { class: 'chart' }, h('figcaption', {}, title), h('div', { class: 'canvas-box' }, canvas));
  const history = labels.map(() => []);
  const times = [];
  let instance = null;
  if (window.Chart) {
    instance = new window.Chart(canvas, {
      type: 'line',
      data: { labels: times, datasets: labels.map((label, i) => ({ label, data: history[i], borderColor: colours[i], backgroundColor: colours[i], pointRadius: 0, tension: 0.25, borderWidth: 2 })) },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, title: { display: true, text: unit } } }, plugins: { legend: { position: 'bottom' } } },
    });
  }
  return {
    element,
    push(values) {
      times.push(new Date().toLocaleTimeString());
      values.forEach((v, i) => history[i].push(v));
      if (times.length > POINTS) {
        times.shift();
        history.forEach((series) => series.shift());
      }
      if (instance) instance.update();
    },
    destroy() {
      if (instance) instance.destroy();
    },
  };
}

export function bytes(value) {
  if (typeof value !== 'number') return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = value;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

function duration(ms) {
  if (typeof ms !== 'number') return '';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  return d ? `${d}d ${hh}h` : hh ? `${hh}h ${mm}m` : `${mm}m ${s % 60}s`;
}
