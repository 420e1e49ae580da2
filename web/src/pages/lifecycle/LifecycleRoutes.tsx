// The pages under /lifecycle: the list with the templates, the editor (a new workflow from a
// template, or a new version), one workflow, and one run's report.
import LifecycleEditorPage from './LifecycleEditorPage.tsx';
import LifecycleListPage from './LifecycleListPage.tsx';
import LifecycleRunPage from './LifecycleRunPage.tsx';
import LifecycleWorkflowPage from './LifecycleWorkflowPage.tsx';

export default function LifecycleRoutes({ path }: { path: string }) {
  const [, first, id, sub, runId] = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  if (first === 'new') return <LifecycleEditorPage key="new" />;
  if (first === 'workflows' && id) {
    if (sub === 'edit') return <LifecycleEditorPage key={`${id}/edit`} workflowId={id} />;
    if (sub === 'runs' && runId) return <LifecycleRunPage key={runId} id={id} runId={runId} />;
    return <LifecycleWorkflowPage key={id} id={id} />;
  }
  return <LifecycleListPage />;
}
