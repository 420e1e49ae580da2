// Installation-wide design settings, set by admins: how many distinct approvals a workflow version
// needs, and whether reviewers are also told by email (Graph sendMail from a mailbox of one
// configured tenant). Changing them is audited like any transition, since they loosen or tighten
// the four-eyes rule.
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from './schema.ts';

export const designSettingsSchema = z.strictObject({
  approvalsRequired: z.number().int().min(1).max(5).describe('Distinct reviewers who must approve a version (default 1).'),
  reviewMail: z.strictObject({
    tenant: z.string().min(1).describe('The tenant whose mailbox sends the email.'),
    from: z.string().email().describe('The sending mailbox (user principal name).'),
  }).nullable().describe('Email reviewers through Graph sendMail as well as the bell; null turns it off.'),
});

export type DesignSettings = z.infer<typeof designSettingsSchema>;

export const defaultDesignSettings: DesignSettings = { approvalsRequired: 1, reviewMail: null };

const KEY = 'design';

export class DesignSettingsRepo {
  private readonly db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async get(): Promise<DesignSettings> {
    const r = await this.db.selectFrom('design_settings').select('value').where('key', '=', KEY).executeTakeFirst();
    const parsed = designSettingsSchema.partial().safeParse(r?.value ?? {});
    return { ...defaultDesignSettings, ...(parsed.success ? parsed.data : {}) };
  }

  async update(patch: Partial<DesignSettings>, actor: string): Promise<DesignSettings> {
    return this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('design_settings').select('value').where('key', '=', KEY).forUpdate().executeTakeFirst();
      const before = { ...defaultDesignSettings, ...((current?.value ?? {}) as Partial<DesignSettings>) };
      const next: DesignSettings = { ...before, ...patch };
      await trx.insertInto('design_settings').values({ key: KEY, value: JSON.stringify(next), updated_by: actor })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_by: actor, updated_at: sql`now()` }))
        .execute();
      await trx.insertInto('audit_log').values({ entity: 'settings', entity_id: KEY, actor, from_state: null, to_state: 'updated', detail: JSON.stringify({ before, after: next }) }).execute();
      return next;
    });
  }
}
