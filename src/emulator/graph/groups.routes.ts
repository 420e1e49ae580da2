// /groups: list, get, create, update, delete, and the members/owners navigation with $ref writes.
import { newId } from '../../core/ids.ts';
import type { EmuGroup } from '../state/model.ts';
import { memberIdsOf } from '../state/derived.ts';
import { applySelect, collectionResponse, countResponse, parseSelect, type CollectionQuery } from './collection.ts';
import {
  bodyObject, contextUrl, directoryObject, directoryObjectFilterView, directoryObjectSerializer, idFromReference, requireGroup, type DirectoryObject,
  type DirectoryObjectKind,
} from './directory-object.ts';
import { graphErrors } from './errors.ts';
import {
  addRefs, assertEditable, bindList, groupErrors, isExchangeManaged, isUnified, MAX_REFS_PER_REQUEST, removeRef, transitiveMembers, type RefKind,
} from './group-membership.ts';
import { assertCreatableKind, assertDynamicConsistent, EXTRA_PROPS, groupWriteErrors, parseGroupWrite } from './group-write.ts';
import { groupSpec } from './odata/entities.ts';
import { canonicalName } from './odata/query-rules.ts';
import { perms, type GraphContext, type GraphRoute } from './route.ts';
import { groupJson } from './serialize-group.ts';
import { hasAnyPermission } from './user-response.ts';

const memberWrite = [...new Set([...perms.groupWrite, ...perms.groupMemberWrite])];

function visibleGroups(ctx: GraphContext): EmuGroup[] {
  if (!ctx.tenant.data.controls.readAfterCreateDelayMs) return ctx.tenant.data.groups;
  return ctx.tenant.data.groups.filter((g) => !ctx.tenant.isInvisible(g.id, ctx.now));
}

function entity(ctx: GraphContext, g: EmuGroup): Record<string, unknown> {
  const select = parseSelect(ctx.query.$select)?.map((n) => canonicalName(groupSpec, n));
  const context = contextUrl(ctx, select ? `groups(${select.join(',')})/$entity` : 'groups/$entity');
  return { '@odata.context': context, ...applySelect(groupJson(g, { full: !!select }), select, [], false) };
}

function defaultDomain(ctx: GraphContext): string {
  return ctx.tenant.data.verifiedDomains[0] ?? ctx.tenant.data.initialDomain;
}

/** Mail addresses must be unique across users and groups (proxyAddresses). */
function assertAddressFree(ctx: GraphContext, address: string): void {
  const a = address.toLowerCase();
  const taken =
    ctx.tenant.data.groups.some((g) => g.mail?.toLowerCase() === a) ||
    ctx.tenant.data.users.some((u) => u.mail?.toLowerCase() === a || u.proxyAddresses.some((p) => p.toLowerCase().replace(/^smtp:/, '') === a));
  if (taken) throw graphErrors.duplicateValue('proxyAddresses');
}

function refs(value: unknown): string[] {
  const ids = bindList(value);
  if (ids.length > MAX_REFS_PER_REQUEST) throw groupErrors.tooManyRefs();
  return ids;
}

function createGroup(ctx: GraphContext) {
  const { props, memberRefs, ownerRefs } = parseGroupWrite(bodyObject(ctx), 'create');
  assertCreatableKind(props);
  const groupTypes = (props.groupTypes as string[] | undefined) ?? [];
  const unified = groupTypes.includes('Unified');
  const rule = (props.membershipRule as string | null | undefined) ?? null;
  const ruleState = (props.membershipRuleProcessingState as 'On' | 'Paused' | null | undefined) ?? null;
  assertDynamicConsistent(groupTypes, rule, ruleState);
  const memberIds = memberRefs === undefined ? [] : refs(memberRefs);
  const ownerIds = ownerRefs === undefined ? [] : refs(ownerRefs);
  if (memberIds.length + ownerIds.length > MAX_REFS_PER_REQUEST) throw groupErrors.tooManyRefs();
  const nickname = props.mailNickname as string;
  const mail = unified ? `${nickname}@${defaultDomain(ctx)}` : null;
  if (mail) assertAddressFree(ctx, mail);
  const extra: Record<string, unknown> = {};
  for (const k of EXTRA_PROPS) if (props[k] !== undefined) extra[k] = props[k];
  const g: EmuGroup = {
    id: newId(),
    displayName: props.displayName as string,
    description: (props.description as string | null | undefined) ?? null,
    mail,
    mailNickname: nickname,
    mailEnabled: props.mailEnabled as boolean,
    securityEnabled: props.securityEnabled as boolean,
    groupTypes,
    membershipRule: rule,
    membershipRuleProcessingState: ruleState,
    onPremisesSyncEnabled: null,
    // Microsoft 365 groups created through Graph are public unless told otherwise.
    visibility: (props.visibility as EmuGroup['visibility'] | undefined) ?? (unified ? 'Public' : null),
    createdDateTime: new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    memberIds: [],
    ownerIds: [],
    assignedLicenses: [],
    resourceProvisioningOptions: (props.resourceProvisioningOptions as string[] | undefined) ?? [],
    ...(Object.keys(extra).length ? { extra } : {}),
  };
  if (memberIds.length) {
    assertEditable(g, 'members');
    addRefs(ctx, g, memberIds, 'members');
  }
  if (ownerIds.length) addRefs(ctx, g, ownerIds, 'owners');
  ctx.tenant.addGroup(g, ctx.now);
  return { status: 201, body: { '@odata.context': contextUrl(ctx, 'groups/$entity'), ...groupJson(g, { full: false }) } };
}

function updateGroup(ctx: GraphContext) {
  const g = requireGroup(ctx, ctx.params.id);
  const { props, memberRefs, ownerRefs } = parseGroupWrite(bodyObject(ctx), 'update');
  const changesProps = Object.keys(props).length > 0 || ownerRefs !== undefined;
  // Adding members needs only GroupMember.ReadWrite.All; anything else needs Group.ReadWrite.All.
  if (changesProps && !hasAnyPermission(ctx.claims, perms.groupWrite)) throw graphErrors.denied();
  if (isExchangeManaged(g)) throw groupErrors.mailEnabledReadOnly();
  if (g.onPremisesSyncEnabled && (changesProps || memberRefs !== undefined)) throw groupErrors.syncedReadOnly();
  const memberIds = memberRefs === undefined ? [] : refs(memberRefs);
  const ownerIds = ownerRefs === undefined ? [] : refs(ownerRefs);
  if (memberIds.length + ownerIds.length > MAX_REFS_PER_REQUEST) throw groupErrors.tooManyRefs();
  const groupTypes = (props.groupTypes as string[] | undefined) ?? g.groupTypes;
  if (props.groupTypes !== undefined && groupTypes.includes('Unified') !== isUnified(g)) throw groupWriteErrors.invalidValue('groupTypes');
  const rule = props.membershipRule !== undefined ? (props.membershipRule as string | null) : g.membershipRule;
  const state = props.membershipRuleProcessingState !== undefined
    ? (props.membershipRuleProcessingState as 'On' | 'Paused' | null)
    : g.membershipRuleProcessingState ?? (groupTypes.includes('DynamicMembership') && rule ? 'On' : null);
  assertDynamicConsistent(groupTypes, groupTypes.includes('DynamicMembership') ? rule : null, state);
  if (props.mailNickname !== undefined && isUnified(g) && props.mailNickname !== g.mailNickname) {
    assertAddressFree(ctx, `${props.mailNickname as string}@${defaultDomain(ctx)}`);
  }
  if (props.visibility === 'HiddenMembership' && g.visibility !== 'HiddenMembership') throw groupWriteErrors.invalidValue('visibility');
  // Validate the references against the group as it will be after this update.
  const next: EmuGroup = { ...g, groupTypes, memberIds: [...g.memberIds], ownerIds: [...g.ownerIds] };
  if (memberIds.length) {
    assertEditable(next, 'members');
    addRefs(ctx, next, memberIds, 'members');
  }
  if (ownerIds.length) addRefs(ctx, next, ownerIds, 'owners');
  g.memberIds = next.memberIds;
  g.ownerIds = next.ownerIds;
  g.groupTypes = groupTypes;
  g.membershipRule = groupTypes.includes('DynamicMembership') ? rule : null;
  g.membershipRuleProcessingState = groupTypes.includes('DynamicMembership') ? state : null;
  if (props.displayName !== undefined) g.displayName = props.displayName as string;
  if (props.description !== undefined) g.description = props.description as string | null;
  if (props.visibility !== undefined) g.visibility = props.visibility as EmuGroup['visibility'];
  if (props.securityEnabled !== undefined) g.securityEnabled = props.securityEnabled as boolean;
  if (props.mailNickname !== undefined) {
    g.mailNickname = props.mailNickname as string;
    if (isUnified(g)) g.mail = `${g.mailNickname}@${defaultDomain(ctx)}`;
  }
  for (const k of EXTRA_PROPS) if (props[k] !== undefined) g.extra = { ...(g.extra ?? {}), [k]: props[k] };
  ctx.tenant.touch();
  return { status: 204 };
}

function deleteGroup(ctx: GraphContext) {
  const g = requireGroup(ctx, ctx.params.id);
  if (isExchangeManaged(g)) throw groupErrors.mailEnabledReadOnly();
  if (g.onPremisesSyncEnabled) throw groupErrors.syncedReadOnly();
  const parents = ctx.tenant.data.groups.filter((p) => p.memberIds.includes(g.id));
  for (const p of parents) p.memberIds = p.memberIds.filter((id) => id !== g.id);
  ctx.tenant.removeGroup(g.id);
  // Microsoft 365 groups are kept 30 days for restore; security groups are deleted permanently.
  if (isUnified(g)) {
    ctx.tenant.data.deletedItems[g.id] = {
      kind: 'group',
      deletedDateTime: new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      group: g,
      memberOf: parents.map((p) => p.id),
    };
  }
  return { status: 204 };
}

type Cast = DirectoryObjectKind;

function objectsOf(ctx: GraphContext, ids: readonly string[], only?: Cast): DirectoryObject[] {
  const out: DirectoryObject[] = [];
  for (const id of ids) {
    const o = directoryObject(ctx, id);
    if (o && (!only || o.kind === only)) out.push(o);
  }
  return out;
}

function relationItems(ctx: GraphContext, rel: 'members' | 'transitiveMembers' | 'owners', only?: Cast): DirectoryObject[] {
  const g = requireGroup(ctx, ctx.params.id);
  let ids: readonly string[];
  if (rel === 'owners') ids = g.ownerIds;
  else if (rel === 'members') ids = memberIdsOf(ctx.tenant, g);
  else {
    const t = transitiveMembers(ctx.tenant, g);
    ids = [...t.groupIds, ...t.userIds];
  }
  return objectsOf(ctx, ids, only);
}

function relationQuery(ctx: GraphContext, only?: Cast): CollectionQuery<DirectoryObject> {
  return { entity: only ?? 'directoryObject', toFilterable: (o) => directoryObjectFilterView(ctx.tenant, o) };
}

function listRelation(rel: 'members' | 'transitiveMembers' | 'owners', only?: Cast) {
  return (ctx: GraphContext) => {
    const context = only === 'user' ? 'users' : only === 'group' ? 'groups' : only === 'orgContact' ? 'contacts' : 'directoryObjects';
    return collectionResponse(ctx, relationItems(ctx, rel, only), { context, serialize: directoryObjectSerializer(ctx), query: relationQuery(ctx, only) });
  };
}

/** `…/members/$count` (needs ConsistencyLevel: eventual, as on every directory $count segment). */
function countRelation(rel: 'members' | 'transitiveMembers', only?: Cast) {
  return (ctx: GraphContext) => countResponse(ctx, relationItems(ctx, rel, only), { serialize: directoryObjectSerializer(ctx), query: relationQuery(ctx, only) });
}

function addRef(kind: RefKind) {
  return (ctx: GraphContext) => {
    const g = requireGroup(ctx, ctx.params.id);
    const body = bodyObject(ctx);
    const key = Object.keys(body).find((k) => k.toLowerCase() === '@odata.id');
    const id = key ? idFromReference(body[key]) : undefined;
    if (!id) throw groupErrors.invalidRef(key ? body[key] : undefined);
    assertEditable(g, kind);
    addRefs(ctx, g, [id], kind);
    return { status: 204 };
  };
}

function deleteRef(kind: RefKind) {
  return (ctx: GraphContext) => {
    const g = requireGroup(ctx, ctx.params.id);
    assertEditable(g, kind);
    removeRef(ctx, g, ctx.params.refId ?? '', kind);
    return { status: 204 };
  };
}

export const routes: GraphRoute[] = [
  {
    method: 'GET', path: '/groups', permissions: perms.groupRead,
    handler: (ctx) => collectionResponse(ctx, visibleGroups(ctx), {
      context: 'groups',
      serialize: (g) => groupJson(g, { full: !!ctx.query.$select }),
      query: { entity: 'group', toFilterable: (g) => groupJson(g, { full: true }) },
    }),
  },
  { method: 'POST', path: '/groups', permissions: perms.groupCreate, handler: createGroup },
  { method: 'GET', path: '/groups/:id', permissions: perms.groupRead, handler: (ctx) => ({ status: 200, body: entity(ctx, requireGroup(ctx, ctx.params.id)) }) },
  { method: 'PATCH', path: '/groups/:id', permissions: memberWrite, handler: updateGroup },
  { method: 'DELETE', path: '/groups/:id', permissions: perms.groupWrite, handler: deleteGroup },
  { method: 'GET', path: '/groups/:id/members', permissions: perms.groupRead, cost: 3, handler: listRelation('members') },
  { method: 'GET', path: '/groups/:id/members/microsoft.graph.user', permissions: perms.groupRead, cost: 3, handler: listRelation('members', 'user') },
  { method: 'GET', path: '/groups/:id/members/microsoft.graph.group', permissions: perms.groupRead, cost: 3, handler: listRelation('members', 'group') },
  { method: 'GET', path: '/groups/:id/transitiveMembers', permissions: perms.groupRead, cost: 5, handler: listRelation('transitiveMembers') },
  { method: 'GET', path: '/groups/:id/members/microsoft.graph.orgContact', permissions: perms.groupRead, cost: 3, handler: listRelation('members', 'orgContact') },
  { method: 'GET', path: '/groups/:id/transitiveMembers/microsoft.graph.user', permissions: perms.groupRead, cost: 5, handler: listRelation('transitiveMembers', 'user') },
  { method: 'GET', path: '/groups/:id/transitiveMembers/microsoft.graph.group', permissions: perms.groupRead, cost: 5, handler: listRelation('transitiveMembers', 'group') },
  { method: 'GET', path: '/groups/:id/transitiveMembers/microsoft.graph.orgContact', permissions: perms.groupRead, cost: 5, handler: listRelation('transitiveMembers', 'orgContact') },
  { method: 'GET', path: '/groups/:id/members/$count', permissions: perms.groupRead, cost: 3, handler: countRelation('members') },
  { method: 'GET', path: '/groups/:id/transitiveMembers/$count', permissions: perms.groupRead, cost: 5, handler: countRelation('transitiveMembers') },
  { method: 'GET', path: '/groups/:id/owners', permissions: perms.groupRead, handler: listRelation('owners') },
  { method: 'POST', path: '/groups/:id/members/$ref', permissions: perms.groupMemberWrite, handler: addRef('members') },
  { method: 'DELETE', path: '/groups/:id/members/:refId/$ref', permissions: perms.groupMemberWrite, handler: deleteRef('members') },
  { method: 'POST', path: '/groups/:id/owners/$ref', permissions: perms.groupWrite, handler: addRef('owners') },
  { method: 'DELETE', path: '/groups/:id/owners/:refId/$ref', permissions: perms.groupWrite, handler: deleteRef('owners') },
];
