// A compact name/value list (a step's inputs or outputs), secrets masked.
import { makeStyles, tokens } from '@fluentui/react-components';
import { humanize, show } from '../lib/format.ts';

const useStyles = makeStyles({
  dl: { display: 'grid', gridTemplateColumns: 'minmax(120px, max-content) 1fr', gap: '4px 16px', margin: 0, fontSize: tokens.fontSizeBase200 },
  dt: { color: tokens.colorNeutralForeground3 },
  dd: { margin: 0, overflowWrap: 'anywhere', fontFamily: tokens.fontFamilyBase },
  none: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

export function KeyValues({ values, secrets = [], label }: { values: Record<string, unknown> | null | undefined; secrets?: readonly string[]; label: string }) {
  const s = useStyles();
  const entries = Object.entries(values ?? {});
  if (!entries.length) return <span className={s.none}>None</span>;
  return (
    <dl className={s.dl} aria-label={label}>
      {entries.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt className={s.dt}>{humanize(k)}</dt>
          <dd className={s.dd}>{show(v, k, secrets)}</dd>
        </div>
      ))}
    </dl>
  );
}
