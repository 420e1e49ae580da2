// The quarantine decision on its own (no I/O): thresholds are "more than", matchMode any and all,
// the quarantine type, the reason in plain words, and the configuration a workflow falls back to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { T } from '../../src/lifecycle/model.ts';
import { effectiveQuarantineConfiguration, quarantineVerdict, readQuarantineConfiguration } from '../../src/lifecycle/quarantine.ts';

const count = (threshold: number) => ({ '@odata.type': T.countCondition, threshold });
const percent = (percentage: number) => ({ '@odata.type': T.percentageCondition, percentage });

test('a threshold is the most a run may process: one user more quarantines it', () => {
  const cfg = { conditions: [count(10)], matchMode: 'any' as const };
  assert.equal(quarantineVerdict(cfg, { due: 10, inScope: 0 }), undefined);
  assert.deepEqual(quarantineVerdict(cfg, { due: 11, inScope: 0 }), { type: 'countBasedThresholdExceeded', reason: 'This run would process 11 users; the threshold is 10 users.' });
  assert.equal(quarantineVerdict({ conditions: [count(1)], matchMode: 'any' }, { due: 2, inScope: 0 })?.reason, 'This run would process 2 users; the threshold is 1 user.');
});

test('a percentage is of the users in scope, exact values stay within it, and a scope never counts fewer than the due users', () => {
  const cfg = { conditions: [percent(25)], matchMode: 'any' as const };
  assert.equal(quarantineVerdict(cfg, { due: 10, inScope: 40 }), undefined, '25% exactly');
  assert.deepEqual(quarantineVerdict(cfg, { due: 11, inScope: 40 }), {
    type: 'percentageBasedThresholdExceeded', reason: 'This run would process 11 users of the 40 in its scope (27.5%); the threshold is 25% of the users in scope.',
  });
  // Users removed from a scope group are due but no longer members: the population includes them.
  assert.equal(quarantineVerdict(cfg, { due: 3, inScope: 0 })?.reason, 'This run would process 3 users of the 3 in its scope (100%); the threshold is 25% of the users in scope.');
  assert.equal(quarantineVerdict({ conditions: [percent(100)], matchMode: 'any' }, { due: 5, inScope: 5 }), undefined, '100% never quarantines');
});

test('matchMode any holds on one exceeded condition, all only when every one is; two exceeded are multipleConditionsExceeded', () => {
  const conditions = [count(5), percent(50)];
  assert.equal(quarantineVerdict({ conditions, matchMode: 'any' }, { due: 6, inScope: 100 })?.type, 'countBasedThresholdExceeded');
  assert.equal(quarantineVerdict({ conditions, matchMode: 'all' }, { due: 6, inScope: 100 }), undefined);
  assert.equal(quarantineVerdict({ conditions, matchMode: 'all' }, { due: 60, inScope: 100 })?.type, 'multipleConditionsExceeded');
  assert.equal(quarantineVerdict({ conditions, matchMode: 'any' }, { due: 60, inScope: 100 })?.type, 'multipleConditionsExceeded');
  assert.equal(quarantineVerdict({ conditions: [count(5)], matchMode: 'all' }, { due: 6, inScope: 0 })?.type, 'countBasedThresholdExceeded', 'all of one condition');
});

test('a workflow\'s own configuration wins over the tenant\'s, which applies when it has none', () => {
  const own = readQuarantineConfiguration({ conditions: [{ '@odata.type': 'microsoft.graph.identityGovernance.countBasedQuarantineCondition', threshold: '500' }] }, 'q');
  assert.deepEqual(own, { conditions: [count(500)], matchMode: 'any' }, 'Int64 as a string, type without #, default matchMode');
  const tenant = { quarantineConfiguration: { conditions: [percent(10)], matchMode: 'any' as const } };
  assert.equal(effectiveQuarantineConfiguration({ settings: { quarantineConfiguration: own } }, tenant), own);
  assert.equal(effectiveQuarantineConfiguration({ settings: { quarantineConfiguration: null } }, tenant), tenant.quarantineConfiguration);
  assert.equal(effectiveQuarantineConfiguration({}, { quarantineConfiguration: null }), null);
});
