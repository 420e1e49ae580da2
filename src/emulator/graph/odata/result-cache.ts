// Filtered and ordered lists kept between the pages of one query. The first page always computes
// afresh (state may have changed by any route); the pages after it reuse the list while the tenant
// version is unchanged, so walking 5,000 users in pages of 100 filters and sorts once.

interface Entry {
  version: number;
  list: readonly unknown[];
}

const PER_TENANT = 32;
const caches = new WeakMap<object, Map<string, Entry>>();

export function pagedList<T>(tenant: { version: number }, key: string, paging: boolean, compute: () => readonly T[]): readonly T[] {
  let cache = caches.get(tenant);
  if (!cache) caches.set(tenant, (cache = new Map()));
  if (paging) {
    const hit = cache.get(key);
    if (hit && hit.version === tenant.version) {
      cache.delete(key);
      cache.set(key, hit);
      return hit.list as readonly T[];
    }
  }
  const list = compute();
  cache.delete(key);
  cache.set(key, { version: tenant.version, list });
  if (cache.size > PER_TENANT) cache.delete(cache.keys().next().value as string);
  return list;
}
