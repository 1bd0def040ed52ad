// Admin: users, virtual hosts, permissions, policies, vhost limits, and definitions export and
// import (file download and upload). Administrators see everything; a policymaker, policies.
import * as api from '../api.js';
import { h, clear, text, table, section, attempt, field, input, select, form, parseJsonField, button, notify } from '../dom.js';

const TABS = [
  ['users', 'Users', true],
  ['vhosts', 'Virtual hosts', true],
  ['permissions', 'Permissions', true],
  ['policies', 'Policies', false],
  ['limits', 'Limits', true],
  ['definitions', 'Definitions', true],
];

export async function render(main, context, [tab]) {
  const allowed = TABS.filter(([, , adminOnly]) => context.isAdmin() || (!adminOnly && context.canSetPolicies()));
  const current = allowed.find(([key]) => key === tab) ? tab : allowed[0][0];
  const body = h('div', { id: `admin-${current}` });
  clear(main, h('h1', {}, 'Admin'),
    h('nav', { class: 'tabs', 'aria-label': 'Admin sections' }, h('ul', {}, allowed.map(([key, label]) =>
      h('li', {}, h('a', { href: `#/admin/${key}`, 'aria-current': key === current ? 'page' : false }, label))))),
    body);
  await PAGES[current](body, context);
}

const PAGES = { users, vhosts, permissions, policies, limits, definitions };

async function users(body, context) {
  const list = await api.get('users');
  clear(body,
    section('Users', table([
      { key: 'name', label: 'Name' },
      { key: 'tags', label: 'Tags', render: (u) => api.tagsOf(u).join(', ') },
      { key: 'password', label: 'Can log in with password', render: (u) => (u.password_hash ? 'yes' : 'no') },
      { key: 'action', label: 'Action', render: (u) => (u.name === context.user ? '' : button('Delete', async () => {
        if (!window.confirm(`Delete user ${u.name}?`)) return;
        await attempt(() => api.del(`users/${api.seg(u.name)}`), `User ${u.name} deleted`);
        users(body, context);
      }, { class: 'small danger', 'aria-label': `Delete user ${u.name}` })) },
    ], list)),
    section('Add or update a user', form('Add or update a user', [
      field('Username', input('name', { required: true, autocomplete: 'off' })),
      field('Password', input('password', { type: 'password', autocomplete: 'new-password' }), 'Leave empty for no password login'),
      field('Tags', input('tags', { placeholder: 'administrator, monitoring, policymaker, management' }), 'Comma-separated'),
      field('Virtual host to grant all permissions on', select('grant', [['', '(none)'], ...context.vhosts.map((v) => [v, v])], '')),
    ], 'Save user', async (v) => {
      const user = { tags: v.tags.split(',').map((t) => t.trim()).filter(Boolean).join(',') };
      if (v.password) user.password = v.password;
      else user.password_hash = '';
      const saved = await attempt(async () => {
        await api.put(`users/${api.seg(v.name)}`, user);
        if (v.grant) await api.put(`permissions/${api.seg(v.grant)}/${api.seg(v.name)}`, { configure: '.*', write: '.*', read: '.*' });
        return true;
      }, `User ${v.name} saved`);
      if (saved) users(body, context);
    }, { id: 'add-user' })));
}

async function vhosts(body, context) {
  const list = await api.get('vhosts');
  clear(body,
    section('Virtual hosts', table([
      { key: 'name', label: 'Name' },
      { key: 'description', label: 'Description', render: (v) => text(v.description || (v.metadata && v.metadata.description)) },
      { key: 'messages', label: 'Messages', numeric: true },
      { key: 'action', label: 'Action', render: (v) => button('Delete', async () => {
        if (!window.confirm(`Delete virtual host ${v.name} with all its queues and exchanges?`)) return;
        await attempt(() => api.del(`vhosts/${api.seg(v.name)}`), `Virtual host ${v.name} deleted`);
        await context.refreshVhosts();
        vhosts(body, context);
      }, { class: 'small danger', 'aria-label': `Delete virtual host ${v.name}` }) },
    ], list)),
    section('Add a virtual host', form('Add a virtual host', [
      field('Name', input('name', { required: true })),
      field('Description', input('description')),
    ], 'Add virtual host', async (v) => {
      const done = await attempt(() => api.put(`vhosts/${api.seg(v.name)}`, { description: v.description }).then(() => true), `Virtual host ${v.name} added`);
      if (done) {
        await context.refreshVhosts();
        vhosts(body, context);
      }
    }, { id: 'add-vhost' })));
}

async function permissions(body, context) {
  const [list, userList] = await Promise.all([api.get('permissions'), api.get('users')]);
  clear(body,
    section('Permissions', table([
      { key: 'user', label: 'User' },
      { key: 'vhost', label: 'Virtual host' },
      { key: 'configure', label: 'Configure' },
      { key: 'write', label: 'Write' },
      { key: 'read', label: 'Read' },
      { key: 'action', label: 'Action', render: (p) => button('Clear', async () => {
        await attempt(() => api.del(`permissions/${api.seg(p.vhost)}/${api.seg(p.user)}`), 'Permissions cleared');
        permissions(body, context);
      }, { class: 'small danger', 'aria-label': `Clear permissions of ${p.user} on ${p.vhost}` }) },
    ], list)),
    section('Set permissions', form('Set permissions', [
      field('User', select('user', userList.map((u) => u.name), context.user)),
      field('Virtual host', select('vhost', context.vhosts, context.vhost || context.vhosts[0])),
      field('Configure regexp', input('configure', { value: '.*' })),
      field('Write regexp', input('write', { value: '.*' })),
      field('Read regexp', input('read', { value: '.*' })),
    ], 'Set permissions', async (v) => {
      const done = await attempt(() => api.put(`permissions/${api.seg(v.vhost)}/${api.seg(v.user)}`, { configure: v.configure, write: v.write, read: v.read }).then(() => true), 'Permissions set');
      if (done) permissions(body, context);
    }, { id: 'set-permissions' })));
}

async function policies(body, context) {
  const list = await api.get(context.vhost ? `policies/${api.seg(context.vhost)}` : 'policies');
  clear(body,
    section('Policies', table([
      { key: 'vhost', label: 'Virtual host' },
      { key: 'name', label: 'Name' },
      { key: 'pattern', label: 'Pattern' },
      { key: 'apply-to', label: 'Apply to' },
      { key: 'definition', label: 'Definition', render: (p) => text(p.definition) },
      { key: 'priority', label: 'Priority', numeric: true },
      { key: 'action', label: 'Action', render: (p) => button('Delete', async () => {
        await attempt(() => api.del(`policies/${api.seg(p.vhost)}/${api.seg(p.name)}`), `Policy ${p.name} deleted`);
        policies(body, context);
      }, { class: 'small danger', 'aria-label': `Delete policy ${p.name}` }) },
    ], list, { empty: 'No policies.' })),
    section('Add or update a policy', form('Add or update a policy', [
      field('Virtual host', select('vhost', context.vhosts, context.vhost || context.vhosts[0])),
      field('Name', input('name', { required: true })),
      field('Pattern', input('pattern', { required: true, placeholder: '^amq\\.' }), 'Regular expression matched against queue or exchange names'),
      field('Apply to', select('apply-to', [['all', 'Exchanges and queues'], ['queues', 'Queues'], ['exchanges', 'Exchanges']], 'all')),
      field('Priority', input('priority', { type: 'number', value: 0 })),
      field('Definition', h('textarea', { name: 'definition', rows: 3, required: true, placeholder: '{"message-ttl": 60000, "max-length": 1000}' }), 'JSON object: message-ttl, expires, max-length, max-length-bytes, overflow, dead-letter-exchange, dead-letter-routing-key, delivery-limit, alternate-exchange…'),
    ], 'Save policy', async (v) => {
      const done = await attempt(() => api.put(`policies/${api.seg(v.vhost)}/${api.seg(v.name)}`, {
        pattern: v.pattern, 'apply-to': v['apply-to'], priority: Number(v.priority || 0), definition: parseJsonField(v.definition, 'The definition'),
      }).then(() => true), `Policy ${v.name} saved`);
      if (done) policies(body, context);
    }, { id: 'add-policy' })));
}

async function limits(body, context) {
  const list = await api.get('vhost-limits');
  const rows = list.flatMap((entry) => Object.entries(entry.value || {}).map(([name, value]) => ({ vhost: entry.vhost, name, value })));
  clear(body,
    section('Virtual host limits', table([
      { key: 'vhost', label: 'Virtual host' },
      { key: 'name', label: 'Limit' },
      { key: 'value', label: 'Value', numeric: true },
      { key: 'action', label: 'Action', render: (l) => button('Clear', async () => {
        await attempt(() => api.del(`vhost-limits/${api.seg(l.vhost)}/${api.seg(l.name)}`), 'Limit cleared');
        limits(body, context);
      }, { class: 'small danger', 'aria-label': `Clear ${l.name} of ${l.vhost}` }) },
    ], rows, { empty: 'No limits set.' })),
    section('Set a limit', form('Set a limit', [
      field('Virtual host', select('vhost', context.vhosts, context.vhost || context.vhosts[0])),
      field('Limit', select('name', [['max-connections', 'Max connections'], ['max-queues', 'Max queues']], 'max-queues')),
      field('Value', input('value', { type: 'number', required: true }), 'A negative value means no limit'),
    ], 'Set limit', async (v) => {
      const done = await attempt(() => api.put(`vhost-limits/${api.seg(v.vhost)}/${api.seg(v.name)}`, { value: Number(v.value) }).then(() => true), 'Limit set');
      if (done) limits(body, context);
    }, { id: 'set-limit' })));
}

async function definitions(body, context) {
  const download = button('Download broker definitions', async () => {
    const path = exportVhost.value ? `definitions/${api.seg(exportVhost.value)}` : 'definitions';
    const defs = await attempt(() => api.get(path));
    if (!defs) return;
    const blob = new Blob([JSON.stringify(defs, null, 2)], { type: 'application/json' });
    const a = h('a', { href: URL.createObjectURL(blob), download: `warren-definitions${exportVhost.value ? `-${exportVhost.value.replace(/[^\w.-]/g, '_')}` : ''}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }, { id: 'download-definitions' });
  const exportVhost = select('export-vhost', [['', 'All virtual hosts'], ...context.vhosts.map((v) => [v, v])], '');
  const file = h('input', { type: 'file', name: 'file', accept: '.json,application/json', required: true });
  const importVhost = select('vhost', [['', 'All (as in the file)'], ...context.vhosts.map((v) => [v, v])], '');
  const upload = form('Import definitions', [field('Definitions file', file), field('Into virtual host', importVhost)], 'Upload and import', async () => {
    const chosen = file.files && file.files[0];
    if (!chosen) {
      notify('Choose a file first.');
      return;
    }
    const content = await chosen.text();
    const done = await attempt(async () => {
      JSON.parse(content);
      await api.post(importVhost.value ? `definitions/${api.seg(importVhost.value)}` : 'definitions', content);
      return true;
    }, `Definitions imported from ${chosen.name}`);
    if (done) await context.refreshVhosts();
  }, { id: 'import-definitions' });
  clear(body,
    section('Export definitions', h('p', {}, 'Users (with password hashes), virtual hosts, permissions, policies, queues, exchanges and bindings, in RabbitMQ\'s definitions format.'),
      field('Virtual host', exportVhost), download),
    section('Import definitions', upload));
}
