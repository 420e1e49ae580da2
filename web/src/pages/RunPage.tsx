// One run on its own page (from History, a notification or a link): the same card as in the chat,
// with its timestamps and the links to its undo, the run it undoes and its conversation.
import { Link, makeStyles } from '@fluentui/react-components';
import { ArrowLeft16Regular } from '@fluentui/react-icons';
import { RunCard } from '../components/RunCard.tsx';
import { linkProps, navigate } from '../lib/router.ts';

const useStyles = makeStyles({
  page: { padding: '16px 20px 32px', maxWidth: '960px', margin: '0 auto', display: 'flex', flexDirection: 'column', gap: '12px', '@media (max-width: 720px)': { padding: '12px' } },
  back: { display: 'inline-flex', alignItems: 'center', gap: '4px' },
});

export default function RunPage({ id }: { id: string }) {
  const s = useStyles();
  return (
    <div className={s.page}>
      <Link className={s.back} {...linkProps('/history')}><ArrowLeft16Regular aria-hidden="true" />History</Link>
      <RunCard runId={id} compact={false} onUndo={(undoId) => navigate(`/runs/${undoId}`)} />
    </div>
  );
}
