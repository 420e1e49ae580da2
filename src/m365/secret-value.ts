// A credential that masks itself wherever it travels: JSON, string conversion, util.inspect and
// template literals all print the mask. Only the token provider calls reveal(), at the moment it
// hands the value to MSAL. Wrapping the value (rather than masking whole config objects when they
// are logged) keeps spread copies and nested objects safe too.
import { MASK } from '../core/secrets.ts';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return MASK;
  }

  toString(): string {
    return MASK;
  }

  [Symbol.toPrimitive](): string {
    return MASK;
  }

  [inspectSymbol](): string {
    return MASK;
  }
}
