-- Runs started by activateWithScope and previewWorkflow (Microsoft's workflowExecutionType
-- activatedWithScope and preview), and runs frozen by cancelProcessing.
alter table lcw_runs drop constraint if exists lcw_runs_execution_type_check;
alter table lcw_runs add constraint lcw_runs_execution_type_check
  check (execution_type in ('scheduled', 'onDemand', 'activatedWithScope', 'preview'));
alter table lcw_runs add column canceled_at timestamptz;
