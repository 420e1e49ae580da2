// Execution conditions of a lifecycle workflow: on demand only, or a trigger (a date attribute with
// an offset, an attribute change for movers, a group membership change) with the users in scope
// (an OData rule, or groups for a membership trigger).
import { Field, Input, Radio, RadioGroup, Select, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import type { LcwDraft, TriggerKind } from './draft.ts';

const useStyles = makeStyles({
  fill: { width: '100%', minWidth: 0, '> select': { minWidth: 0 } },
  root: { display: 'flex', flexDirection: 'column', gap: '10px' },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', gap: '10px 12px', alignItems: 'start' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
});

export function ConditionsEditor({ d, onChange }: { d: LcwDraft; onChange: (patch: Partial<LcwDraft>) => void }) {
  const s = useStyles();
  return (
    <div className={s.root}>
      <Field label="When it runs">
        <RadioGroup value={d.onDemandOnly ? 'onDemand' : 'trigger'} onChange={(_, v) => onChange({ onDemandOnly: v.value === 'onDemand' })} layout="horizontal">
          <Radio value="trigger" label="On a trigger, for the users in scope" />
          <Radio value="onDemand" label="On demand only" />
        </RadioGroup>
      </Field>
      {!d.onDemandOnly && (
        <>
          <div className={s.grid}>
            <Field label="Trigger">
              <Select className={s.fill} value={d.triggerKind} onChange={(_, v) => onChange({ triggerKind: v.value as TriggerKind })}>
                <option value="timeBased">A date of the user, with an offset</option>
                {d.category === 'mover' && <option value="attributeChange">An attribute of the user changes</option>}
                <option value="membershipChange">Group membership changes</option>
              </Select>
            </Field>
            {d.triggerKind === 'timeBased' && (
              <>
                <Field label="Date attribute">
                  <Select className={s.fill} value={d.timeBasedAttribute} onChange={(_, v) => onChange({ timeBasedAttribute: v.value })}>
                    <option value="employeeHireDate">Hire date (employeeHireDate)</option>
                    <option value="employeeLeaveDateTime">Leave date (employeeLeaveDateTime)</option>
                    <option value="createdDateTime">Account created (createdDateTime)</option>
                  </Select>
                </Field>
                <Field label="Offset in days" hint="-180 to 180; negative runs before the date.">
                  <Input type="number" min={-180} max={180} value={d.offsetInDays} onChange={(_, v) => onChange({ offsetInDays: v.value })} />
                </Field>
              </>
            )}
            {d.triggerKind === 'attributeChange' && (
              <Field label="Attributes that trigger it" hint="Comma-separated, e.g. department, jobTitle.">
                <Input value={d.triggerAttributes} onChange={(_, v) => onChange({ triggerAttributes: v.value })} />
              </Field>
            )}
            {d.triggerKind === 'membershipChange' && (
              <Field label="Change">
                <Select className={s.fill} value={d.changeType} onChange={(_, v) => onChange({ changeType: v.value as 'add' | 'remove' })}>
                  <option value="add">Added to the group</option>
                  <option value="remove">Removed from the group</option>
                </Select>
              </Field>
            )}
          </div>
          {d.triggerKind === 'membershipChange' ? (
            <Field label="Groups in scope" hint="Group object ids, separated by commas.">
              <Input className={s.mono} value={d.groups} onChange={(_, v) => onChange({ groups: v.value })} />
            </Field>
          ) : (
            <Field label="Users in scope (rule)" hint="An OData rule as in Microsoft Entra, e.g. (department eq 'Sales') and (country eq 'US'). Names are case-sensitive.">
              <Textarea textarea={{ className: s.mono }} value={d.rule} onChange={(_, v) => onChange({ rule: v.value })} resize="vertical" />
            </Field>
          )}
        </>
      )}
    </div>
  );
}
