// Microsoft's Lifecycle Workflows model (microsoft.graph.identityGovernance), as Tenantflow stores
// and serves it. Property names are Graph's; each closed set is a const list with derived types.

export const workflowCategories = ['joiner', 'leaver', 'mover'] as const;
export type WorkflowCategory = (typeof workflowCategories)[number];

/** lifecycleWorkflowProcessingStatus: the status of runs, user and task processing results, task reports. */
export const processingStatuses = ['queued', 'inProgress', 'completed', 'completedWithErrors', 'canceled', 'failed'] as const;
export type ProcessingStatus = (typeof processingStatuses)[number];

export const terminalStatuses = ['completed', 'completedWithErrors', 'canceled', 'failed'] as const satisfies readonly ProcessingStatus[];

export function isTerminalStatus(s: ProcessingStatus): boolean {
  return (terminalStatuses as readonly ProcessingStatus[]).includes(s);
}

export const executionTypes = ['scheduled', 'onDemand', 'activatedWithScope', 'preview'] as const;
export type ExecutionType = (typeof executionTypes)[number];

export const timeBasedAttributes = ['employeeHireDate', 'employeeLeaveDateTime', 'createdDateTime'] as const;
export type TimeBasedAttribute = (typeof timeBasedAttributes)[number];

export const NS = 'microsoft.graph.identityGovernance';
export const T = {
  triggerAndScope: `#${NS}.triggerAndScopeBasedConditions`,
  onDemand: `#${NS}.onDemandExecutionOnly`,
  timeBased: `#${NS}.timeBasedAttributeTrigger`,
  attributeChange: `#${NS}.attributeChangeTrigger`,
  membershipChange: `#${NS}.membershipChangeTrigger`,
  ruleScope: `#${NS}.ruleBasedSubjectSet`,
  groupScope: `#${NS}.groupBasedSubjectSet`,
  countCondition: `#${NS}.countBasedQuarantineCondition`,
  percentageCondition: `#${NS}.percentageBasedQuarantineCondition`,
} as const;

export interface KeyValuePair {
  name: string;
  value: string;
}

export interface Task {
  id: string;
  displayName: string;
  description: string | null;
  taskDefinitionId: string;
  /** Flags from the task definition, e.g. "joiner,leaver". */
  category: string;
  continueOnError: boolean;
  isEnabled: boolean;
  /** 1-based order within the workflow. */
  executionSequence: number;
  arguments: KeyValuePair[];
}

export type Trigger =
  | { '@odata.type': typeof T.timeBased; timeBasedAttribute: TimeBasedAttribute; offsetInDays: number }
  | { '@odata.type': typeof T.attributeChange; triggerAttributes: Array<{ name: string }> }
  | { '@odata.type': typeof T.membershipChange; changeType: 'add' | 'remove' };

export type Scope =
  | { '@odata.type': typeof T.ruleScope; rule: string }
  | { '@odata.type': typeof T.groupScope; groups: Array<{ id: string }> };

export type ExecutionConditions =
  | { '@odata.type': typeof T.triggerAndScope; scope: Scope; trigger: Trigger }
  | { '@odata.type': typeof T.onDemand };

export const matchModes = ['any', 'all'] as const;
export type MatchMode = (typeof matchModes)[number];

/** quarantineCondition: a run is held when it would process more users than this allows. */
export type QuarantineCondition =
  | { '@odata.type': typeof T.countCondition; threshold: number }
  | { '@odata.type': typeof T.percentageCondition; percentage: number };

export interface QuarantineConfiguration {
  conditions: QuarantineCondition[];
  matchMode: MatchMode;
}

/** workflowSetting (on a workflow and each of its versions). */
export interface WorkflowSetting {
  quarantineConfiguration: QuarantineConfiguration | null;
}

export const quarantineTypes = ['notQuarantined', 'countBasedThresholdExceeded', 'percentageBasedThresholdExceeded', 'multipleConditionsExceeded'] as const;
export type QuarantineType = (typeof quarantineTypes)[number];

/** quarantineDetails: read-only; set by a pass that held the workflow, reset by clearQuarantine. */
export interface QuarantineDetails {
  quarantinedDateTime: string | null;
  quarantineReason: string | null;
  quarantineType: QuarantineType;
}

export const NOT_QUARANTINED: QuarantineDetails = { quarantinedDateTime: null, quarantineReason: null, quarantineType: 'notQuarantined' };
export const NO_SETTINGS: WorkflowSetting = { quarantineConfiguration: null };

/** The parts of a workflow a version freezes (tasks and executionConditions never change in place). */
export interface WorkflowDefinitionPart {
  category: WorkflowCategory;
  displayName: string;
  description: string | null;
  isEnabled: boolean;
  isSchedulingEnabled: boolean;
  executionConditions: ExecutionConditions;
  tasks: Task[];
  /** Absent: no settings of its own (no quarantine configuration; the tenant's applies). */
  settings?: WorkflowSetting;
}

export interface Workflow extends WorkflowDefinitionPart {
  id: string;
  tenantId: string;
  version: number;
  createdDateTime: string;
  lastModifiedDateTime: string;
  deletedDateTime: string | null;
  createdBy: string | null;
  lastModifiedBy: string | null;
  /** Absent: not quarantined. The store always fills it. */
  quarantineDetails?: QuarantineDetails;
  /**
   * Tenantflow's own, not served: after clearQuarantine, the first pass processes up to this many
   * newly due users without checking the thresholds (the run the admin released); else null.
   */
  quarantineRelease?: number | null;
}

export function isQuarantined(wf: Pick<Workflow, 'quarantineDetails'>): boolean {
  return !!wf.quarantineDetails && wf.quarantineDetails.quarantineType !== 'notQuarantined';
}

export interface WorkflowVersion extends WorkflowDefinitionPart {
  versionNumber: number;
  createdDateTime: string;
  lastModifiedDateTime: string;
  createdBy: string | null;
}

export interface Settings {
  workflowScheduleIntervalInHours: number;
  emailSettings: { senderDomain: string | null; useCompanyBranding: boolean };
  /** The tenant's quarantine configuration: it applies to every workflow without one of its own. */
  quarantineConfiguration: QuarantineConfiguration | null;
}

export const DEFAULT_SETTINGS: Settings = { workflowScheduleIntervalInHours: 3, emailSettings: { senderDomain: null, useCompanyBranding: false }, quarantineConfiguration: null };

export interface CustomTaskExtension {
  id: string;
  tenantId: string;
  displayName: string;
  description: string | null;
  endpointConfiguration: Record<string, unknown> | null;
  authenticationConfiguration: Record<string, unknown> | null;
  clientConfiguration: Record<string, unknown> | null;
  callbackConfiguration: Record<string, unknown> | null;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

/** The user a result is about, as it was when processing was scheduled. */
export interface Subject {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
  mail: string | null;
}

/** Microsoft's limits (ED governance-service-limits.md). */
export const LIMITS = {
  workflowsPerTenant: 100,
  tasksPerWorkflow: 25,
  customExtensionsPerTenant: 100,
  offsetInDays: { min: -180, max: 180 },
  scheduleIntervalHours: { min: 1, max: 24 },
  onDemandSubjects: 10,
  callbackTimeoutMinutes: { min: 5, max: 180 },
  catchUpDays: 3,
  softDeleteRetentionDays: 30,
  /** countBasedQuarantineCondition.threshold is an Int64; percentage an Int32 that only means something up to 100. */
  quarantineThreshold: { min: 1, max: Number.MAX_SAFE_INTEGER },
  quarantinePercentage: { min: 1, max: 100 },
} as const;

export function categoryFlags(category: string): string[] {
  return category.split(',').map((s) => s.trim()).filter(Boolean);
}
