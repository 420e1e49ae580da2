// A mail contact as Microsoft Graph renders an orgContact, and the stripped form Graph gives for a
// contact in a directoryObject collection when the app may not read contacts: `@odata.type` and id,
// every other property null (Graph's "limited information returned for inaccessible member objects").
import type { EmuOrgContact } from '../state/model.ts';

export function contactJson(c: EmuOrgContact): Record<string, unknown> {
  return {
    id: c.id,
    deletedDateTime: null,
    companyName: c.companyName,
    department: c.department,
    displayName: c.displayName,
    givenName: c.givenName,
    jobTitle: c.jobTitle,
    mail: c.mail,
    mailNickname: c.mailNickname,
    onPremisesLastSyncDateTime: c.onPremisesSyncEnabled ? c.createdDateTime : null,
    onPremisesSyncEnabled: c.onPremisesSyncEnabled,
    proxyAddresses: c.proxyAddresses,
    surname: c.surname,
    addresses: [],
    onPremisesProvisioningErrors: [],
    phones: [],
  };
}

/** The contact with only its id, for callers without OrgContact.Read.All or Directory.Read.All. */
export function limitedContactJson(c: EmuOrgContact): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(contactJson(c))) out[k] = null;
  out.id = c.id;
  return out;
}
