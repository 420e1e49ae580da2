// A Tenantflow API with the people of a design review: a technician who designs, two reviewers
// and the admin who activates.
import assert from 'node:assert/strict';
import { startApiEnv, type ApiEnv } from '../server/harness.ts';

export interface Person {
  id: string;
  token: string;
}

export interface DesignEnv {
  env: ApiEnv;
  admin: Person;
  tech: Person;
  reviewer: Person;
  reviewer2: Person;
  api: ApiEnv['api'];
}

export async function startDesignEnv(name: string): Promise<DesignEnv> {
  const env = await startApiEnv(name);
  const adminToken = await env.login();
  const me = await env.api('GET', '/api/auth/me', { token: adminToken });
  const person = async (username: string, role: string, extra: Record<string, unknown> = {}): Promise<Person> => {
    const password = `password-for-${username}`;
    const created = await env.api('POST', '/api/users', { token: adminToken, body: { username, password, role, tenants: ['contoso'], ...extra } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return { id: created.body.id, token: await env.login(username, password) };
  };
  return {
    env,
    api: env.api,
    admin: { id: me.body.user.id, token: adminToken },
    tech: await person('tina.tech', 'technician'),
    reviewer: await person('rita.review', 'reviewer', { email: 'alex.wilber@contoso.com' }),
    reviewer2: await person('rob.review', 'reviewer'),
  };
}

/** A two-step workflow on an existing user: disable the account, then sign it out everywhere. */
export function lockoutDefinition(name = 'Lock out user') {
  return {
    name,
    description: 'Disables the account and signs it out everywhere.',
    parameters: [{ name: 'user', type: 'string', format: 'upn', required: true, description: 'The user to lock out.' }],
    steps: [
      { id: 'disable', action: 'disable-user', inputs: { user: '{{params.user}}' } },
      { id: 'revoke', action: 'revoke-sessions', inputs: { user: '{{params.user}}' } },
    ],
    outputs: {},
  };
}

/** Takes the latest version through submit (author), approve (reviewer) and activate (admin). */
export async function approveAndActivate(d: DesignEnv, id: string, submitter: Person = d.tech, note = 'Ready for review'): Promise<number> {
  const submitted = await d.api('POST', `/api/workflows/${id}/submit`, { token: submitter.token, body: { note } });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  const reviewed = await d.api('POST', `/api/workflows/${id}/review`, { token: d.reviewer.token, body: { decision: 'approve', comment: 'Looks right.' } });
  assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
  assert.equal(reviewed.body.state, 'Approved');
  const activated = await d.api('POST', `/api/workflows/${id}/activate`, { token: d.admin.token });
  assert.equal(activated.status, 200, JSON.stringify(activated.body));
  return activated.body.activeVersion;
}
