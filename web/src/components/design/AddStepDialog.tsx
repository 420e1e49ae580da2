// Picks the catalog action for a new step: a searchable list grouped by category.
import { useMemo, useState } from 'react';
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, Input, makeStyles, tokens,
} from '@fluentui/react-components';
import { Add20Regular, Search20Regular } from '@fluentui/react-icons';
import type { CatalogAction } from '../../lib/design-api.ts';

const useStyles = makeStyles({
  surface: { maxWidth: 'min(640px, calc(100vw - 24px))' },
  content: { display: 'flex', flexDirection: 'column', gap: '10px' },
  scroll: { maxHeight: 'min(420px, 55vh)', overflowY: 'auto', display: 'flex', flexDirection: 'column', gap: '8px', paddingRight: '4px' },
  cat: { margin: '4px 0 0', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3, textTransform: 'uppercase', letterSpacing: '0.04em' },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '4px' },
  pick: {
    width: '100%', textAlign: 'left', display: 'flex', flexDirection: 'column', gap: '2px', padding: '8px 10px', cursor: 'pointer', font: 'inherit',
    border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, background: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1,
    ':hover': { background: tokens.colorNeutralBackground1Hover, border: `1px solid ${tokens.colorBrandStroke1}` },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '1px' },
  },
  title: { fontWeight: tokens.fontWeightSemibold },
  desc: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
});

export function AddStepDialog({ actions, onPick }: { actions: readonly CatalogAction[]; onPick: (actionId: string) => void }) {
  const s = useStyles();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const groups = useMemo(() => {
    const n = q.trim().toLowerCase();
    const out = new Map<string, CatalogAction[]>();
    for (const a of actions) {
      if (n && !`${a.title} ${a.id} ${a.description} ${a.category}`.toLowerCase().includes(n)) continue;
      out.set(a.category, [...(out.get(a.category) ?? []), a]);
    }
    return [...out.entries()];
  }, [actions, q]);
  return (
    <Dialog open={open} onOpenChange={(_, d) => { setOpen(d.open); if (!d.open) setQ(''); }}>
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="primary" icon={<Add20Regular />}>Add step</Button>
      </DialogTrigger>
      <DialogSurface className={s.surface}>
        <DialogBody>
          <DialogTitle>Add a step</DialogTitle>
          <DialogContent className={s.content}>
            <Input type="search" value={q} onChange={(_, d) => setQ(d.value)} aria-label="Search actions" placeholder="Search actions" contentBefore={<Search20Regular aria-hidden="true" />} />
            <div className={s.scroll}>
              {groups.map(([cat, xs]) => (
                <section key={cat} aria-label={cat}>
                  <h3 className={s.cat}>{cat}</h3>
                  <ul className={s.list}>
                    {xs.map((a) => (
                      <li key={a.id}>
                        <button type="button" className={s.pick} data-action-id={a.id} onClick={() => { onPick(a.id); setOpen(false); setQ(''); }}>
                          <span className={s.title}>{a.title}</span>
                          <span className={s.desc}>{a.description}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
              {!groups.length && <span>No action matches “{q}”.</span>}
            </div>
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement><Button>Cancel</Button></DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
