// The words technicians use, mapped to concepts. Rules in rules-*.ts speak only in concepts, so a
// new synonym is one line here and every rule understands it. Phrases are matched on corrected,
// lower-case tokens (hyphens split words, so "re-register" is the phrase "re register").

export const concepts = [
  // verbs
  'RESET', 'CHANGE', 'SET', 'DISABLE', 'ENABLE', 'REVOKE', 'SIGNOUT', 'CREATE', 'ADD', 'REMOVE', 'DELETE', 'RESTORE',
  'ASSIGN', 'GIVE', 'SWAP', 'UPGRADE', 'CONVERT', 'FORWARD', 'STOP', 'LIST', 'AUDIT', 'SEND', 'RENAME', 'MOVE', 'TURN_ON', 'TURN_OFF',
  'NEED', 'FORGOT', 'REREGISTER', 'LOG', 'MAKE',
  // lifecycles
  'ONBOARD', 'OFFBOARD', 'LEAVING', 'ROLE_CHANGE', 'INCIDENT',
  // nouns
  'PASSWORD', 'MFA', 'SESSION', 'DEVICES', 'ACCOUNT', 'USER', 'SIGNIN', 'LICENSE', 'GROUP', 'MEMBERS', 'MAILBOX', 'SHARED', 'REGULAR',
  'FULL_ACCESS', 'ACCESS', 'SEND_AS', 'SEND_ON_BEHALF', 'OOO', 'TAP', 'JOB_TITLE', 'DEPARTMENT', 'DISPLAY_NAME', 'USAGE_LOCATION',
  'MANAGER', 'OFFICE', 'PHONE', 'CITY', 'COUNTRY', 'COMPANY', 'SECURITY', 'EMAIL', 'NEW', 'ALL', 'EVERYTHING', 'TENANT', 'NEG', 'HOW_MANY', 'UNUSED',
] as const;
export type Concept = (typeof concepts)[number];

/** Concepts that start a request; "and" followed by one of these starts a new clause. */
export const verbConcepts: ReadonlySet<Concept> = new Set<Concept>([
  'RESET', 'CHANGE', 'SET', 'DISABLE', 'ENABLE', 'REVOKE', 'SIGNOUT', 'CREATE', 'ADD', 'REMOVE', 'DELETE', 'RESTORE', 'ASSIGN', 'GIVE',
  'SWAP', 'UPGRADE', 'CONVERT', 'FORWARD', 'STOP', 'LIST', 'AUDIT', 'SEND', 'RENAME', 'TURN_ON', 'TURN_OFF', 'ONBOARD', 'OFFBOARD', 'LOG', 'MAKE',
]);

/**
 * Surface forms, single words or phrases, each naming one concept. Longer phrases win over
 * shorter ones at the same position.
 */
const surface: Record<Concept, string[]> = {
  RESET: ['reset', 'resets', 'resetting', 'reissue', 're set', 'regenerate', 'scramble', 'clear', 'wipe mfa'],
  CHANGE: ['change', 'changes', 'changing', 'update', 'updates', 'modify', 'edit', 'amend', 'alter', 'correct', 'fix', 'extend', 'extends', 'prolong'],
  SET: ['set', 'sets', 'setting', 'configure', 'config', 'setup', 'set up', 'put on', 'apply', 'enable auto', 'activate auto'],
  DISABLE: ['disable', 'disabled', 'disables', 'disabling', 'deactivate', 'deactivated', 'suspend', 'suspended', 'block', 'blocked',
    'blocking', 'lock', 'locked', 'freeze', 'freezing', 'prevent', 'stop sign in'],
  ENABLE: ['enable', 'enabled', 'enables', 'enabling', 're enable', 'reenable', 'reactivate', 'reactivated', 'activate', 'unblock', 'unblocked',
    'unsuspend', 'unlock', 'unlocked', 'unfreeze', 'turn back on', 'reinstate'],
  REVOKE: ['revoke', 'revoked', 'revoking', 'kill', 'invalidate', 'end', 'terminate sessions', 'terminate all sessions', 'expire'],
  SIGNOUT: ['sign out', 'signout', 'sign off', 'log out', 'logout', 'log off', 'logoff', 'kick out', 'force sign out', 'force logout',
    'sign them out', 'boot out'],
  CREATE: ['create', 'creates', 'creating', 'created', 'provision', 'build', 'open', 'establish', 'spin up'],
  ADD: ['add', 'adds', 'adding', 'added', 'put', 'include', 'insert', 'enrol', 'enroll', 'join', 'place'],
  REMOVE: ['remove', 'removes', 'removing', 'removed', 'take', 'drop', 'kick', 'unassign', 'strip', 'pull', 'take away', 'take off',
    'get rid of', 'withdraw', 'exclude', 'detach', 'unshare'],
  DELETE: ['delete', 'deletes', 'deleting', 'deleted', 'erase', 'purge', 'destroy', 'wipe', 'nuke', 'drop table'],
  RESTORE: ['restore', 'restores', 'restored', 'undelete', 'recover', 'bring back', 'un delete'],
  ASSIGN: ['assign', 'assigns', 'assigning', 'assigned', 'allocate', 'allocated', 'license', 'licence', 'licensed'],
  GIVE: ['give', 'gives', 'giving', 'given', 'gave', 'grant', 'grants', 'granting', 'granted', 'provide', 'allow', 'let', 'permit', 'hand'],
  SWAP: ['swap', 'switch', 'replace', 'exchange licence', 'change over', 'migrate'],
  UPGRADE: ['upgrade', 'downgrade', 'upgraded', 'downgraded'],
  CONVERT: ['convert', 'converts', 'converting', 'converted', 'turn into', 'change into', 'make into'],
  FORWARD: ['forward', 'forwards', 'forwarding', 'redirect', 'redirecting', 'reroute', 'autoforward', 'auto forward', 'forwarded', 'route', 'routed'],
  STOP: ['stop', 'stops', 'cancel', 'cease', 'halt', 'discontinue', 'no more'],
  LIST: ['list', 'show', 'display', 'enumerate', 'view', 'who is in', 'whos in', 'who in', 'who are in', 'who is a member of', 'what members'],
  AUDIT: ['audit', 'audits', 'auditing', 'report', 'review', 'check', 'inspect', 'analyse', 'analyze', 'examine', 'investigate', 'scan',
    'overview', 'summary', 'usage'],
  SEND: ['send', 'sends', 'shoot'],
  RENAME: ['rename', 'renamed'],
  MOVE: ['move', 'moves', 'moving', 'moved', 'transfer', 'transfers', 'transferring', 'transferred', 'relocate', 'relocating'],
  TURN_ON: ['turn on', 'switch on', 'enable out', 'put up'],
  TURN_OFF: ['turn off', 'switch off', 'take down', 'turn of'],
  NEED: ['need', 'needs', 'needed', 'want', 'wants', 'require', 'requires', 'requested', 'request', 'should have', 'would like'],
  FORGOT: ['forgot', 'forgotten', 'forget', 'cant remember', 'cannot remember', 'doesnt remember', 'does not remember', 'can not remember',
    'lost', 'expired', 'locked out', 'cant log in', 'cant sign in', 'cannot log in', 'cannot sign in', 'unable to log in', 'unable to sign in'],
  REREGISTER: ['reregister', 're register', 'register again', 'set up again', 'new phone', 'changed phone', 'lost phone', 'lost her phone',
    'lost his phone', 'lost their phone', 'new device', 're enroll', 're enrol', 'reenroll', 're setup', 'new handset'],
  LOG: ['log', 'sign', 'boot'],
  MAKE: ['make', 'makes', 'making'],
  ONBOARD: ['onboard', 'onboarding', 'on board', 'new starter', 'new hire', 'new employee', 'new joiner', 'joiner', 'starter', 'new colleague',
    'new team member', 'new staff member', 'hire', 'starting on', 'starts on', 'start on'],
  OFFBOARD: ['offboard', 'offboarding', 'off board', 'leaver', 'deprovision', 'exit process', 'off boarding'],
  LEAVING: ['leaving', 'last day', 'departing', 'quitting', 'quit', 'terminated', 'termination', 'terminate', 'fired', 'let go', 'has left',
    'have left', 'left the company', 'left the business', 'resigned', 'retiring', 'retired', 'laid off', 'dismissed'],
  ROLE_CHANGE: ['role change', 'new role', 'changing roles', 'changing role', 'changes role', 'change role', 'changes department',
    'changing department', 'promoted', 'promotion'],
  INCIDENT: ['security incident', 'security breach', 'lock it down', 'lock down', 'lock them down', 'lock everything down', 'compromised', 'hacked', 'breached', 'breach', 'phished', 'phishing', 'account takeover',
    'suspicious sign ins', 'suspicious sign in', 'suspicious activity', 'malicious', 'pwned', 'compromise'],
  PASSWORD: ['password', 'passwords', 'pw', 'pwd', 'passwd', 'passcode', 'pass word', 'credentials'],
  MFA: ['mfa', '2fa', 'two factor', '2 factor', 'multi factor', 'multifactor', 'authenticator', 'authentication methods', 'auth methods',
    'second factor', 'security info', 'otp', 'totp', 'authentication', 'mfa methods', 'multi factor authentication'],
  SESSION: ['session', 'sessions', 'tokens', 'refresh tokens', 'sign in sessions', 'logins', 'sign ins'],
  DEVICES: ['devices', 'all devices', 'everywhere', 'every device', 'all sessions'],
  ACCOUNT: ['account', 'accounts', 'user account', 'profile'],
  USER: ['user', 'users', 'person', 'employee', 'staff', 'colleague', 'guest', 'mailbox user', 'member of staff', 'worker'],
  SIGNIN: ['sign in', 'signin', 'log in', 'login', 'logon', 'log on', 'sign on', 'signing in', 'logging in'],
  LICENSE: ['licenses', 'licences', 'licensing', 'seat', 'seats', 'subscription', 'subscriptions', 'sku', 'skus', 'plan'],
  GROUP: ['group', 'groups', 'grp', 'distribution list', 'distribution group', 'dl', 'security group', 'mailing list', 'm365 group',
    'microsoft 365 group', 'team', 'teams'],
  MEMBERS: ['members', 'member', 'membership', 'memberships'],
  MAILBOX: ['mailbox', 'mailboxes', 'inbox', 'mail', 'mails', 'emails', 'e mails', 'messages', 'calendar', 'email box'],
  SHARED: ['shared', 'shared mailbox', 'shared inbox'],
  REGULAR: ['regular mailbox', 'user mailbox', 'normal mailbox', 'regular'],
  FULL_ACCESS: ['full access', 'full permission', 'full permissions', 'full mailbox access', 'full control', 'read and manage', 'fullaccess'],
  ACCESS: ['access', 'permission', 'permissions', 'rights', 'delegate', 'delegation', 'delegated'],
  SEND_AS: ['send as', 'sendas', 'send email as', 'send emails as', 'send mail as', 'send e mail as', 'send messages as', 'send as rights',
    'send as permission'],
  SEND_ON_BEHALF: ['send on behalf', 'send on behalf of', 'sendonbehalf', 'send on behalf rights', 'on behalf'],
  OOO: ['out of office', 'out of the office', 'ooo', 'oof', 'auto reply', 'autoreply', 'auto replies', 'automatic reply', 'automatic replies',
    'auto responder', 'autoresponder', 'away message', 'vacation reply', 'vacation responder', 'holiday message', 'away reply',
    'auto response', 'automatic response', 'out of office message', 'out of office reply', 'ooo message'],
  TAP: ['temporary access pass', 'temp access pass', 'tap', 'access pass', 'temporary pass'],
  JOB_TITLE: ['job title', 'title', 'job role', 'position', 'role', 'jobtitle'],
  DEPARTMENT: ['department', 'dept', 'division'],
  DISPLAY_NAME: ['display name', 'displayname', 'name', 'full name'],
  USAGE_LOCATION: ['usage location', 'usagelocation'],
  MANAGER: ['manager', 'line manager', 'boss', 'supervisor', 'reports to'],
  OFFICE: ['office location', 'office'],
  PHONE: ['phone', 'mobile', 'mobile phone', 'cell', 'phone number', 'mobile number'],
  CITY: ['city'],
  COUNTRY: ['country'],
  COMPANY: ['company name'],
  SECURITY: ['security', 'sign in methods', 'mailbox rules', 'inbox rules', 'security posture', 'risk', 'security check', 'security review'],
  EMAIL: ['email', 'e mail', 'message', 'note'],
  NEW: ['new', 'brand new', 'fresh', 'another'],
  ALL: ['all', 'every', 'each'],
  EVERYTHING: ['everything', 'everyone', 'everybody', 'all users', 'every user', 'all accounts', 'all mailboxes', 'all groups in',
    'the whole', 'entire', 'whole tenant', 'all data', 'anything'],
  TENANT: ['tenant', 'tenants', 'organisation', 'organization', 'directory', 'domain', 'database', 'company', 'org'],
  NEG: ['no longer', 'not', 'shouldnt', 'dont', 'doesnt', 'isnt', 'never', 'without', 'nor', 'anymore', 'any more'],
  HOW_MANY: ['how many', 'count', 'number of', 'how much', 'left', 'remaining', 'available', 'free'],
  UNUSED: ['unused', 'spare', 'unassigned', 'idle', 'wasted'],
};

export interface PhraseEntry {
  words: string[];
  concept: Concept;
}

const entries: PhraseEntry[] = [];
for (const c of concepts) for (const s of surface[c]) entries.push({ words: s.split(' '), concept: c });

/** Phrases by first word, longest first. */
export const phrasesByFirst: ReadonlyMap<string, PhraseEntry[]> = (() => {
  const m = new Map<string, PhraseEntry[]>();
  for (const e of entries) {
    const list = m.get(e.words[0]!) ?? [];
    list.push(e);
    m.set(e.words[0]!, list);
  }
  for (const list of m.values()) list.sort((a, b) => b.words.length - a.words.length);
  return m;
})();

/** Words that carry no request: greetings, politeness, articles, auxiliaries. */
export const fillerWords: ReadonlySet<string> = new Set([
  'the', 'a', 'an', 'please', 'pls', 'plz', 'kindly', 'can', 'could', 'would', 'will', 'you', 'u', 'i', 'we', 'me', 'us', 'our', 'my', 'mine',
  'hi', 'hello', 'hey', 'thanks', 'thank', 'thx', 'cheers', 'asap', 'urgent', 'urgently', 'now', 'just', 'also', 'too', 'again', 'quickly',
  'immediately', 'today', 'right', 'away', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'has', 'have', 'had', 'do', 'does', 'did',
  'to', 'it', 'its', 'that', 'this', 'these', 'those', 'so', 'some', 'any', 'up', 'down', 'there', 'here', 'ok', 'okay', 'yes', 'yeah',
  'guys', 'folks', 'quick', 'favour', 'favor', 'help', 'get', 'got', 'gets', 'getting', 'sure', 'go', 'ahead', 'like',
  'must', 'should', 'shall', 'may', 'might', 'lets', 'know', 'think', 'well', 'very', 'really', 'currently', 'still',
  'back', 'them', 'they', 'start', 'starts', 'starting', 'started', 'begins', 'beginning', 'their', 'theirs', 'both', 'his', 'her', 'him', 'she', 'he', 'hers', 'own', 'which', 'what',
  'who', 'whose', 'when', 'then', 'after', 'before', 'once', 'soon', 'possible', 'able', 'someone', 'somebody', 'whoever',
]);

export const prepositions: ReadonlySet<string> = new Set([
  'to', 'from', 'for', 'of', 'on', 'in', 'into', 'onto', 'with', 'as', 'at', 'by', 'about', 'over', 'off', 'out', 'under', 'within',
  'inside', 'via', 'until', 'till', 'til', 'through', 'since', 'instead', 'than', 'between', 'across',
]);

export const conjunctions: ReadonlySet<string> = new Set(['and', 'then', 'also', 'plus', '&', 'afterwards', 'after', 'next', 'finally', 'but', 'or']);

/** Pronouns that point back to a person already mentioned. */
export const personPronouns: ReadonlySet<string> = new Set(['her', 'his', 'him', 'she', 'he', 'them', 'their', 'they', 'theirs', 'hers']);

/** "this user", "that account", "the same person": a pointer to the conversation's user. */
export const deicticDeterminers: ReadonlySet<string> = new Set(['this', 'that', 'the', 'same', 'said', 'above']);
export const deicticNouns: ReadonlySet<string> = new Set(['user', 'person', 'account', 'employee', 'guy', 'lady', 'staff', 'colleague', 'one', 'individual', 'mailbox', 'member', 'leaver', 'starter']);

/**
 * First names one or two edits from a lexicon word ("john"/"join", "adam"/"add"): never
 * "corrected", and unlike protectedWords still names.
 */
export const nameLikeWords: ReadonlySet<string> = new Set([
  'john', 'jon', 'joan', 'joe', 'adam', 'ada', 'dan', 'dean', 'ben', 'ken', 'len', 'jen', 'tim', 'tom', 'tam', 'sam', 'pam', 'kim', 'jim',
  'bill', 'will', 'phil', 'neil', 'noel', 'leo', 'lee', 'rose', 'ross', 'mark', 'max', 'alex', 'amy', 'emma', 'anna', 'ann', 'ana', 'mia',
  'eve', 'ivan', 'liam', 'noah', 'luke', 'lucy', 'grant', 'chase', 'hunter', 'sky', 'rob', 'bob', 'ray', 'roy', 'guy', 'reid', 'reed',
]);

/**
 * Frequent English words that sit one or two edits from a lexicon word ("unable"/"enable",
 * "main"/"mail", "remote"/"remove"): never "corrected".
 */
export const protectedWords: ReadonlySet<string> = new Set([
  'unable', 'main', 'maid', 'nail', 'remote', 'remotely', 'resent', 'preset', 'rest', 'result', 'clock', 'black', 'flock', 'block', 'back', 'pack',
  'land', 'send', 'sent', 'sand', 'send', 'lend', 'mend', 'bend', 'tend', 'rend', 'wend', 'fend', 'vend', 'kind', 'mind', 'find', 'bind',
  'gave', 'live', 'life', 'five', 'hive', 'dive', 'save', 'same', 'name', 'game', 'came', 'come', 'home', 'some', 'lame', 'fame', 'tame',
  'user', 'used', 'uses', 'fuse', 'muse', 'ruse', 'list', 'lost', 'last', 'least', 'best', 'test', 'rest', 'nest', 'west', 'vest', 'jest',
  'take', 'make', 'made', 'fake', 'lake', 'cake', 'wake', 'bake', 'sake', 'rake', 'group', 'grope', 'grip', 'group', 'tell', 'told', 'toll',
  'tall', 'wall', 'call', 'ball', 'fall', 'hall', 'mall', 'mail', 'sail', 'tail', 'fail', 'jail', 'rail', 'pail', 'wail', 'bail', 'hail',
  'joke', 'jokes', 'poke', 'woke', 'broke', 'spoke', 'smoke', 'stroke', 'choke', 'evoke', 'invoke', 'provoke', 'revoke', 'fire', 'hire', 'wire',
  'tire', 'sire', 'dire', 'mire', 'hire', 'here', 'there', 'where', 'were', 'wire', 'word', 'work', 'worked', 'works', 'world', 'sword',
  'password', 'passed', 'passes', 'pass', 'past', 'paste', 'pasta', 'post', 'most', 'host', 'ghost', 'cost', 'lost', 'frost', 'posted',
  'able', 'table', 'cable', 'fable', 'sable', 'stable', 'enabled', 'label', 'liable', 'viable', 'amiable', 'disable', 'diabetes',
  'offer', 'offers', 'office', 'offices', 'official', 'often', 'offset', 'aboard', 'abroad', 'board', 'boards', 'hoard', 'keyboard', 'dashboard',
  'onward', 'inward', 'forward', 'toward', 'towards', 'reward', 'award', 'awards', 'ward', 'wards', 'coward', 'guard',
  'reply', 'replies', 'apply', 'supply', 'imply', 'comply', 'really', 'rely', 'reset', 'assert', 'assets', 'asset', 'resell', 'rested',
  'shared', 'shard', 'share', 'shares', 'sharpen', 'scared', 'shaped', 'shade', 'access', 'excess', 'assess', 'recess', 'process', 'success',
  'session', 'sessions', 'cession', 'passion', 'mission', 'fission', 'tension', 'pension', 'version', 'mansion', 'lesson', 'lessons',
  'license', 'licence', 'silence', 'license', 'listen', 'listed', 'lister', 'sister', 'mister', 'blister', 'twister', 'lifted',
  'convert', 'concert', 'content', 'consent', 'context', 'contest', 'covert', 'invert', 'revert', 'expert', 'insert', 'desert', 'dessert',
  'member', 'members', 'remember', 'december', 'november', 'september', 'number', 'numbers', 'lumber', 'timber', 'ember', 'embers',
  'create', 'crate', 'curate', 'cremate', 'created', 'creature', 'credit', 'credits', 'relate', 'related', 'relates', 'restate',
  'delete', 'deplete', 'delegate', 'delight', 'defeat', 'delay', 'delays', 'detect', 'select', 'deleted', 'elite', 'delta',
  'audit', 'audio', 'credit', 'edit', 'adit', 'adult', 'admit', 'admin', 'admins', 'audited', 'audible', 'auditor',
  'assign', 'design', 'resign', 'align', 'assist', 'assigned', 'designed', 'resigned', 'aligned', 'assistant', 'assume', 'assure',
  'enable', 'unable', 'enamel', 'enabler', 'capable', 'gable', 'nable', 'sable', 'tenable', 'unstable',
  'forget', 'forgot', 'target', 'budget', 'forgive', 'forge', 'forged', 'forgo', 'format', 'former', 'formal', 'formed', 'forest',
  'phone', 'phones', 'phony', 'prone', 'phase', 'drone', 'stone', 'shone', 'throne', 'alone', 'ozone', 'zone',
  'restore', 'restock', 'restart', 'reboot', 'rebooted', 'restored', 'store', 'stores', 'storage', 'restroom', 'restful',
  'swap', 'swamp', 'swan', 'sway', 'swat', 'wrap', 'snap', 'slap', 'strap', 'scrap', 'soap', 'sweep', 'swept',
  'switch', 'stitch', 'snitch', 'twitch', 'witch', 'watch', 'switches', 'swatch', 'sketch',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'today', 'tomorrow', 'yesterday', 'tonight',
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'october', 'holiday', 'holidays', 'vacation', 'leave',
  'meeting', 'printer', 'printers', 'laptop', 'laptops', 'computer', 'screen', 'monitor', 'network', 'wifi', 'internet', 'router',
  'sharepoint', 'onedrive', 'outlook', 'windows', 'excel', 'word', 'teams', 'zoom', 'slack', 'site', 'sites', 'folder', 'file', 'files',
  'drive', 'drives', 'vpn', 'server', 'servers', 'backup', 'backups', 'joke', 'weather', 'story', 'poem', 'song', 'recipe', 'coffee',
  'lunch', 'dinner', 'football', 'movie', 'music', 'games', 'hello', 'thanks', 'please', 'sorry', 'cheers', 'regards', 'best', 'kind',
  'could', 'would', 'should', 'about', 'above', 'below', 'because', 'before', 'after', 'again', 'against', 'between', 'during', 'through',
  'people', 'person', 'persons', 'someone', 'something', 'nothing', 'anything', 'everything', 'everyone', 'anyone', 'nobody',
  'manager', 'managers', 'managed', 'manage', 'damage', 'manger', 'marker', 'market', 'marketing', 'sales', 'finance', 'legal',
  'tables', 'select', 'insert', 'update', 'drop', 'where', 'from', 'into', 'values', 'script', 'alert', 'function', 'return',
  'premises', 'promise', 'premium', 'business', 'standard', 'basic', 'visio', 'project', 'projects', 'power', 'tower', 'lower',
]);
