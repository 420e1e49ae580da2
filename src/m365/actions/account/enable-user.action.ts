// Allows sign-in again (accountEnabled = true); the opposite of disable-user. Built in sign-in-state.ts.
import { signInStateAction } from './sign-in-state.ts';

export const enableUser = signInStateAction(true);
