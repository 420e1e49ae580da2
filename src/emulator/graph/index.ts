// Every Graph route the emulator serves. $batch is wired in server.ts (it needs the pipeline).
import type { GraphRoute } from './route.ts';
import { routes as users } from './users.routes.ts';
import { routes as usersDelta } from './delta.routes.ts';
import { routes as userRelations } from './user-relations.routes.ts';
import { routes as groups } from './groups.routes.ts';
import { routes as licenses } from './licenses.routes.ts';
import { routes as authMethods } from './auth-methods.routes.ts';
import { routes as mail } from './mail.routes.ts';
import { routes as directory } from './directory.routes.ts';
import { routes as teams } from './teams.routes.ts';
import { routes as organization } from './organization.routes.ts';
import { routes as contacts } from './contacts.routes.ts';

export const graphRoutes: GraphRoute[] = [
  ...users, ...usersDelta, ...userRelations, ...groups, ...licenses, ...authMethods, ...mail, ...directory, ...teams, ...organization, ...contacts,
];
