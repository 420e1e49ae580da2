// An error as the API gives it: the stable code, what happened, and what to do about it.
import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import type { ErrorBody } from '../lib/types.ts';

const useStyles = makeStyles({
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, background: tokens.colorNeutralBackground3, padding: '1px 6px', borderRadius: tokens.borderRadiusSmall, marginLeft: '6px' },
  fix: { display: 'block', marginTop: '4px' },
  body: { overflowWrap: 'anywhere' },
});

export function ErrorBox({ error, title, intent = 'error' }: { error: ErrorBody; title?: string; intent?: 'error' | 'warning' }) {
  const s = useStyles();
  return (
    <MessageBar intent={intent} layout="multiline" data-error-code={error.code}>
      <MessageBarBody className={s.body}>
        <MessageBarTitle>{title ?? 'Error'}<code className={s.code}>{error.code}</code></MessageBarTitle>
        <span>{error.message}</span>
        {error.fix && <span className={s.fix}><strong>How to fix: </strong>{error.fix}</span>}
      </MessageBarBody>
    </MessageBar>
  );
}
