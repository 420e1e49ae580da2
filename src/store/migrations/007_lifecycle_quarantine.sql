-- Lifecycle workflow quarantine (Microsoft's workflowSetting.quarantineConfiguration and
-- quarantineDetails): a scheduled run that would process more users than the thresholds allow
-- holds the workflow until an admin calls clearQuarantine.

-- The workflow's settings (workflowSetting); versions carry theirs in lcw_workflow_versions.body.
alter table lcw_workflows add column settings jsonb not null default '{"quarantineConfiguration": null}';
-- quarantineDetails: set by the pass that held the workflow (compare-and-set from notQuarantined),
-- reset by clearQuarantine.
alter table lcw_workflows add column quarantine_type text not null default 'notQuarantined'
  check (quarantine_type in ('notQuarantined', 'countBasedThresholdExceeded', 'percentageBasedThresholdExceeded', 'multipleConditionsExceeded'));
alter table lcw_workflows add column quarantined_at timestamptz;
alter table lcw_workflows add column quarantine_reason text;
-- How many newly due users the held run would have processed; clearQuarantine moves it to
-- released_for: the first pass after the release processes up to that many without the thresholds
-- (the run the admin released), then released_for is null again.
alter table lcw_workflows add column quarantine_due int;
alter table lcw_workflows add column released_for int;

-- The tenant's quarantineConfiguration (lifecycleManagementSettings): for workflows without their own.
alter table lcw_settings add column quarantine_configuration jsonb;
