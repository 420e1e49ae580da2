// Blocks sign-in (accountEnabled = false); the opposite of enable-user. Built in sign-in-state.ts.
import { signInStateAction } from './sign-in-state.ts';

export const disableUser = signInStateAction(false);
