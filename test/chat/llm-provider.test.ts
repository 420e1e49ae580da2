import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { builtinWorkflows } from '../../src/engine/builtin-workflows.ts';
import { actionCatalog } from '../../src/m365/actions/catalog.ts';
import { checkToolCall, catalogTools, type Proposable } from '../../src/chat/llm/tools.ts';
import { OpenAiCompatibleProvider, providerFromEnv } from '../../src/chat/llm/openai-provider.ts';
import { startApiEnv, type ApiEnv } from '../server/harness.ts';

/** A stand-in chat-completions endpoint on loopback: answers with scripted tool calls and keeps what it was sent. */
interface Fake {
  url: string;
  requests: Array<{ headers: Record<string, unknown>; body: any }>;
  answer: (body: any) => { status: number; json: unknown };
  close(): Promise<void>;
}

async function fakeModel(): Promise<Fake> {
  const fake: Partial<Fake> & { requests: Fake['requests'] } = { requests: [] };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const body = JSON.parse(raw);
      fake.requests.push({ headers: req.headers, body });
      const { status, json } = fake.answer!(body);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.answer = () => ({ status: 200, json: { choices: [{ message: { content: 'nothing to do' } }] } });
  fake.close = () => new Promise<void>((r) => server.close(() => r()));
  return fake as Fake;
}

const toolCalls = (...calls: Array<[string, unknown]>) => ({
  status: 200,
  json: { choices: [{ message: { role: 'assistant', tool_calls: calls.map(([name, args], i) => ({ id: `call_${i}`, type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } })) } }] },
});

const catalog: Proposable = {
  actions: actionCatalog,
  workflows: new Map(builtinWorkflows().map((w) => [w.id!, w] as const)),
};

let fake: Fake;
let env: ApiEnv;
let token: string;
before(async () => {
  fake = await fakeModel();
  process.env.TENANTFLOW_LLM_URL = fake.url;
  process.env.TENANTFLOW_LLM_MODEL = 'fake-model';
  process.env.TENANTFLOW_LLM_KEY = 'test-key-not-secret';
  env = await startApiEnv('chatllm');
  token = await env.login();
});
after(async () => {
  await env.close();
  await fake.close();
});

test('tool calls pass a gate: catalog ids only, known parameters only, values the schema accepts', () => {
  assert.equal(checkToolCall(catalog, 'wipe-tenant', {}, 'contoso.com'), undefined);
  assert.equal(checkToolCall(catalog, 'reset-password', 'not json', 'contoso.com'), undefined);
  assert.equal(checkToolCall(catalog, 'reset-password', '[1,2]', 'contoso.com'), undefined);
  const perm = checkToolCall(catalog, 'add-mailbox-permission', { user: 'grady.archie@contoso.com', delegate: 'Alex Wilber', accessRights: 'Owner', sudo: true }, 'contoso.com')!;
  assert.deepEqual(perm.params, { user: 'grady.archie@contoso.com', delegate: 'Alex Wilber' }, 'an unknown parameter and a value outside the enum are dropped');
  assert.deepEqual(perm.lookups, [{ param: 'delegate', kind: 'user', text: 'Alex Wilber' }], 'a name is looked up in the tenant like a typed one');
  const onboard = checkToolCall(catalog, 'onboard-user', { displayName: 'Sam Lee', sku: 'E3', usageLocation: 'Narnia', convertToShared: true }, 'contoso.com')!;
  assert.deepEqual(onboard.params, { displayName: 'Sam Lee', sku: 'E3' });
  assert.deepEqual(onboard.lookups, [{ param: 'sku', kind: 'sku', text: 'E3' }]);
  const tools = catalogTools(catalog);
  assert.ok(tools.some((t) => t.function.name === 'reset-password' && (t.function.parameters as any).properties.user));
  assert.ok(tools.some((t) => t.function.name === 'offboard-user' && (t.function.parameters as any).required.includes('user')));
  assert.equal(providerFromEnv({}, catalog), undefined, 'no configuration, no provider: offline by default');
});

test('the provider sends the catalog as tools and turns the answer into checked intents', async () => {
  const provider = new OpenAiCompatibleProvider({ url: fake.url, model: 'fake-model', key: 'k-123' }, catalog);
  fake.answer = () => toolCalls(['convert-to-shared', { user: 'grady.archie@contoso.com' }], ['drop-database', {}], ['reset-password', { user: 42 }]);
  const before = fake.requests.length;
  const intents = await provider.propose('sort out grady\'s mailbox', { domain: 'contoso.com', lastUser: 'grady.archie@contoso.com' });
  assert.deepEqual(intents, [{ action: 'convert-to-shared', params: { user: 'grady.archie@contoso.com' }, lookups: [] }, { action: 'reset-password', params: {}, lookups: [] }]);
  const sent = fake.requests[before]!;
  assert.equal(sent.headers.authorization, 'Bearer k-123');
  assert.equal(sent.body.model, 'fake-model');
  assert.equal(sent.body.temperature, 0);
  assert.ok(sent.body.tools.length >= 30);
  assert.match(sent.body.messages[0].content, /grady\.archie@contoso\.com/, 'the conversation\'s user is given as context');
  fake.answer = () => ({ status: 500, json: { error: 'boom' } });
  await assert.rejects(provider.propose('x', { domain: 'contoso.com' }), /500/);
});

test('in a conversation the model is asked only when the rules understood nothing, and its proposals become ordinary cards', async () => {
  const c = await env.api('POST', '/api/conversations', { token, body: { tenant: 'contoso' } });
  const id = c.body.id;
  const say = (text: string) => env.api('POST', `/api/conversations/${id}/messages`, { token, body: { text } });

  const count = fake.requests.length;
  const ruled = await say('reset password for alex.wilber@contoso.com');
  assert.equal(ruled.body.cards[0].workflow, 'reset-password');
  assert.equal(fake.requests.length, count, 'the rules understood it: no round trip');
  const refused = await say('delete everything in the tenant');
  assert.deepEqual(refused.body.cards, []);
  assert.equal(fake.requests.length, count, 'a refusal is not a question for the model');

  fake.answer = () => toolCalls(['convert-to-shared', { user: 'grady.archie@contoso.com' }], ['add-mailbox-permission', { user: 'grady.archie@contoso.com', delegate: 'Alex Wilber', accessRights: 'FullAccess' }], ['purge-tenant', {}]);
  const r = await say('grady has gone, sort the mailbox situation for his team lead');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(fake.requests.length, count + 1);
  assert.deepEqual(r.body.cards.map((x: any) => [x.workflow, x.state]), [['convert-to-shared', 'Pending'], ['add-mailbox-permission', 'Pending']], 'only catalog ids, and nothing runs before approval');
  assert.equal(r.body.cards[1].params.delegate, 'alex.wilber@contoso.com', 'the model\'s name went through the same lookup');

  fake.answer = () => ({ status: 503, json: { error: 'overloaded' } });
  const down = await say('do the usual thing for grady');
  assert.equal(down.status, 200);
  assert.deepEqual(down.body.cards, []);
  assert.match(down.body.reply, /not something I can do/);
});
