// The parsed form of a $filter expression.

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'guid'; value: string }
  | { kind: 'datetime'; value: string; ms: number };

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** A value read from the record: a property path, a lambda variable (plus path), or `path/$count`. */
export type Operand =
  | { kind: 'prop'; path: string[] }
  | { kind: 'var'; name: string; path: string[] }
  | { kind: 'count'; path: string[] }
  | { kind: 'lit'; lit: Literal };

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; expr: FilterNode }
  | { kind: 'cmp'; op: CompareOp; left: Operand; right: Operand }
  | { kind: 'in'; left: Operand; values: Literal[] }
  | { kind: 'fn'; name: 'startswith' | 'endswith' | 'contains'; args: [Operand, Operand] }
  | { kind: 'lambda'; op: 'any' | 'all'; path: string[]; variable: string | null; body: FilterNode | null }
  /** A bare boolean operand, e.g. `accountEnabled` or `true`. */
  | { kind: 'bool'; operand: Operand };
