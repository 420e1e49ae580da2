// The tenant reads the chat needs to settle names: people by display name, groups by name, the
// licences with their free units, the default domain and which addresses are taken. One instance
// serves one message, so each list is read at most once per message.
import type { GraphPort } from '../../m365/actions/ports.ts';
import type { TenantSku } from '../../m365/actions/resolve/sku.ts';

export interface DirectoryUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  department?: string | null;
  jobTitle?: string | null;
  assignedLicenses?: Array<{ skuId: string }>;
}

export interface DirectoryGroup {
  id: string;
  displayName: string;
  mail?: string | null;
  description?: string | null;
}

const eventual = { ConsistencyLevel: 'eventual' };

function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A $search value: quotes and backslashes would end the clause early. */
function searchTerm(s: string): string {
  return s.replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim();
}

export class TenantDirectory {
  private readonly graph: GraphPort;
  readonly fallbackDomain: string;
  private skus: Promise<TenantSku[]> | undefined;
  private domain: Promise<string> | undefined;

  constructor(graph: GraphPort, fallbackDomain: string) {
    this.graph = graph;
    this.fallbackDomain = fallbackDomain;
  }

  /** People whose display name has words starting with each of the given words ("Jane Smith", "Megan"). */
  async findUsers(name: string, top = 10): Promise<DirectoryUser[]> {
    const term = searchTerm(name);
    if (!term) return [];
    const page = await this.graph.get<{ value: DirectoryUser[] }>('/users', {
      query: { $search: `"displayName:${term}"`, $select: 'id,displayName,userPrincipalName,department,jobTitle', $top: String(top), $count: 'true' },
      headers: eventual,
    });
    return page.value;
  }

  /** People whose sign-in name, before the @, is exactly this ("megan.bowen"), in any of the tenant's domains. */
  async usersWithHandle(handle: string): Promise<DirectoryUser[]> {
    const page = await this.graph.get<{ value: DirectoryUser[] }>('/users', {
      query: { $filter: `startswith(userPrincipalName,${odataString(`${handle}@`)})`, $select: 'id,displayName,userPrincipalName,department,jobTitle', $top: '10' },
    });
    return page.value.filter((u) => u.userPrincipalName.toLowerCase().startsWith(`${handle.toLowerCase()}@`));
  }

  /** The manager the directory records for this person, if any (none, or no such person: undefined). */
  async managerOf(upn: string): Promise<DirectoryUser | undefined> {
    try {
      return await this.graph.get<DirectoryUser>(`/users/${encodeURIComponent(upn)}/manager`, { query: { $select: 'id,displayName,userPrincipalName,department,jobTitle' } });
    } catch (e) {
      if ((e as { status?: number }).status === 404 || (e as { code?: string }).code === 'not_found') return undefined;
      throw e;
    }
  }

  async user(upn: string): Promise<DirectoryUser | undefined> {
    const page = await this.graph.get<{ value: DirectoryUser[] }>('/users', {
      query: { $filter: `userPrincipalName eq ${odataString(upn)}`, $select: 'id,displayName,userPrincipalName,assignedLicenses' },
    });
    return page.value[0];
  }

  async findGroups(name: string, top = 10): Promise<DirectoryGroup[]> {
    const term = searchTerm(name);
    if (!term) return [];
    const page = await this.graph.get<{ value: DirectoryGroup[] }>('/groups', {
      query: { $search: `"displayName:${term}"`, $select: 'id,displayName,mail,description', $top: String(top), $count: 'true' },
      headers: eventual,
    });
    return page.value;
  }

  /** Groups with exactly this display name (case-insensitive, as Graph compares). */
  async groupsNamed(name: string): Promise<DirectoryGroup[]> {
    const page = await this.graph.get<{ value: DirectoryGroup[] }>('/groups', {
      query: { $filter: `displayName eq ${odataString(name)}`, $select: 'id,displayName,mail,description' },
    });
    return page.value;
  }

  async someGroups(top = 10): Promise<DirectoryGroup[]> {
    const page = await this.graph.get<{ value: DirectoryGroup[] }>('/groups', { query: { $select: 'id,displayName,mail', $top: String(top), $orderby: 'displayName' } });
    return page.value;
  }

  subscribedSkus(): Promise<TenantSku[]> {
    this.skus ??= this.graph.get<{ value: TenantSku[] }>('/subscribedSkus').then((r) => r.value);
    return this.skus;
  }

  /** The domain new accounts get: the tenant's default verified domain. */
  defaultDomain(): Promise<string> {
    this.domain ??= this.graph.get<{ value: Array<{ id: string; isDefault: boolean }> }>('/domains')
      .then((r) => r.value.find((d) => d.isDefault)?.id ?? this.fallbackDomain)
      .catch(() => this.fallbackDomain);
    return this.domain;
  }

  /** Which of these addresses already sign someone in. */
  async takenUpns(upns: readonly string[]): Promise<Set<string>> {
    if (!upns.length) return new Set();
    const page = await this.graph.get<{ value: Array<{ userPrincipalName: string }> }>('/users', {
      query: { $filter: upns.map((u) => `userPrincipalName eq ${odataString(u)}`).join(' or '), $select: 'userPrincipalName' },
    });
    return new Set(page.value.map((u) => u.userPrincipalName.toLowerCase()));
  }
}
