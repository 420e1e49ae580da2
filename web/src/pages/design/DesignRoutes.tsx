// The pages under /workflows: the list, the designer (new or existing), a workflow's version
// history, and one version's review page (where the bell's workflow notifications lead).
import DesignerPage from './DesignerPage.tsx';
import ReviewPage from './ReviewPage.tsx';
import VersionsPage from './VersionsPage.tsx';
import WorkflowsPage from './WorkflowsPage.tsx';

export default function DesignRoutes({ path }: { path: string }) {
  const parts = path.split('/').filter(Boolean).slice(1).map((p) => decodeURIComponent(p));
  const [id, sub, n] = parts;
  if (!id) return <WorkflowsPage />;
  if (id === 'new') return <DesignerPage key="new" />;
  if (sub === 'history') return <VersionsPage key={id} id={id} />;
  if (sub === 'versions' && n && Number(n) > 0) return <ReviewPage key={`${id}/${n}`} id={id} version={Number(n)} />;
  return <DesignerPage key={id} id={id} />;
}
