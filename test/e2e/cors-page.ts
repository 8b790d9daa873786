/**
 * The front end of cors-browser.test.ts: one HTML page that loads Better Auth's browser client
 * from its own origin and talks to the API named by `?api=` with credentials. `window.flow` holds
 * the steps the test drives; each returns plain data (statuses, bodies, headers a script may read).
 */

export interface Answer {
  status: number;
  body: any;
  etag?: string | null;
  requestId?: string | null;
}

/** The steps of window.flow, as the test sees them. */
export interface Flow {
  signUp(email: string): Promise<{ error: unknown; email?: string }>;
  signIn(email: string): Promise<{ error: unknown }>;
  createOrganization(name: string): Promise<{ error: unknown; id?: string; active?: string }>;
  /** Makes the caller's first organization the active one (a new session has none). */
  activateFirst(): Promise<{ error: unknown }>;
  crud(): Promise<
    { created: Answer; patched: Answer; listed: Answer; deleted: Answer; afterDelete: Answer; anonymous: Answer }
  >;
  addons(): Promise<{ uploaded: Answer; downloaded: { status: number; text: string }; endpoint: Answer; heard: any }>;
  list(): Promise<Answer | { blocked: true }>;
}

export const PAGE = `<!doctype html><meta charset="utf-8"><title>front end</title>
<script src="/better-auth.js"></script>
<script>
const API = new URL(location.href).searchParams.get('api');
const auth = BetterAuth.createAuthClient({ baseURL: API, basePath: '/auth/v1', plugins: [BetterAuth.organizationClient()], fetchOptions: { credentials: 'include' } });
const PASSWORD = 'correct-horse-battery';

async function call(method, path, body, init = {}) {
  const res = await fetch(API + path, { method, credentials: 'include', ...init, headers: body === undefined ? init.headers : { 'content-type': 'application/json' }, body: body === undefined ? init.body : JSON.stringify(body) });
  const text = await res.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch {}
  return { status: res.status, body: parsed, etag: res.headers.get('etag'), requestId: res.headers.get('x-request-id') };
}
const failed = (error) => ({ error: { status: 0, message: String(error) } });
const plain = ({ error }) => ({ error: error ? { status: error.status, code: error.code, message: error.message } : null });

window.flow = {
  async signUp(email) {
    try {
      const result = await auth.signUp.email({ email, password: PASSWORD, name: 'Ada' });
      return { ...plain(result), email: result.data?.user.email };
    } catch (error) { return failed(error); }
  },
  async signIn(email) {
    try { return plain(await auth.signIn.email({ email, password: PASSWORD })); } catch (error) { return failed(error); }
  },
  async createOrganization(name) {
    const created = await auth.organization.create({ name, slug: name.toLowerCase() + '-' + Date.now() });
    if (created.error) return plain(created);
    const session = await auth.getSession();
    return { error: null, id: created.data.id, active: session.data?.session.activeOrganizationId };
  },
  async activateFirst() {
    const organizations = await auth.organization.list();
    if (organizations.error) return plain(organizations);
    return plain(await auth.organization.setActive({ organizationId: organizations.data[0].id }));
  },
  async crud() {
    const created = await call('POST', '/api/v1/tickets', { title: 'From the browser' });
    await call('POST', '/api/v1/tickets', { title: 'Second' });
    const patched = await call('PATCH', '/api/v1/tickets/' + created.body.id, { title: 'Edited in the browser' });
    const listed = await call('GET', '/api/v1/tickets?sort=createdAt&order=asc');
    const deleted = await call('DELETE', '/api/v1/tickets/' + created.body.id);
    const afterDelete = await call('GET', '/api/v1/tickets?sort=createdAt&order=asc');
    const anonymous = await call('GET', '/api/v1/tickets', undefined, { credentials: 'omit' });
    return { created, patched, listed, deleted, afterDelete, anonymous };
  },
  async addons() {
    const uploaded = await call('PUT', '/storage/v1/object/notes/hello.txt', undefined, { headers: { 'content-type': 'text/plain' }, body: 'hello from the browser' });
    const download = await fetch(API + '/storage/v1/object/notes/hello.txt', { credentials: 'include' });
    const downloaded = { status: download.status, text: await download.text() };
    const endpoint = await call('POST', '/webhooks/v1/endpoints', { url: 'http://127.0.0.1:9/hook', events: ['webhook.test'] });
    const ticket = await call('POST', '/broadcast/v1/ws-ticket');
    const socket = new WebSocket(API.replace(/^http/, 'ws') + '/broadcast/v1/websocket?ws_ticket=' + encodeURIComponent(ticket.body.wsTicket));
    const heard = await new Promise((resolve, reject) => {
      setTimeout(() => reject(new Error('no realtime message in 10 s')), 10000);
      socket.onerror = () => reject(new Error('the socket failed'));
      socket.onmessage = (event) => {
        const message = JSON.parse(event.data);
        if (message.type === 'subscribed') call('POST', '/api/v1/tickets', { title: 'Heard live' });
        if (message.type === 'postgres_changes') resolve(message);
      };
    });
    socket.close();
    return { uploaded, downloaded, endpoint, heard };
  },
  async list() {
    try { return await call('GET', '/api/v1/tickets'); } catch { return { blocked: true }; }
  },
};
</script>`;
