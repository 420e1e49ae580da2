// "Test run" for admins: a version that is not Active yet runs for real in a demo tenant, through
// the same approval card as the chat. The dialog's body loads on first open (it brings the run card
// and its live progress); an unsaved edit in the designer is never test-run: the dialog says to save.
import { Suspense, lazy, useState } from 'react';
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, MessageBar, MessageBarBody, MessageBarTitle, Spinner,
} from '@fluentui/react-components';
import { Beaker20Regular } from '@fluentui/react-icons';
import { useSession } from '../../lib/session.ts';

const TestRunPanel = lazy(() => import('./TestRunPanel.tsx'));

export function TestRunButton({ workflowId, version, unsaved, describedBy, size }: {
  workflowId: string | undefined;
  version: number | undefined;
  /** Why the designer's content cannot be test-run as it stands (unsaved edits), or null. */
  unsaved?: string | null;
  /** The id of what names the version, for a list with one button per version. */
  describedBy?: string;
  size?: 'small' | 'medium';
}) {
  const { me } = useSession();
  const [open, setOpen] = useState(false);
  if (me.user.role !== 'admin') return null;
  const close = () => setOpen(false);
  const blocked = unsaved ?? (!workflowId || !version ? 'Create the workflow first: a test run runs a saved version.' : null);
  return (
    <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button icon={<Beaker20Regular />} size={size} aria-describedby={describedBy}>Test run</Button>
      </DialogTrigger>
      <DialogSurface style={{ maxWidth: '780px', width: 'calc(100vw - 32px)', boxSizing: 'border-box' }}>
        <DialogBody>
          <DialogTitle>Test run</DialogTitle>
          {blocked || !workflowId || !version ? (
            <>
              <DialogContent>
                <MessageBar intent="warning" layout="multiline" data-testid="test-run-unsaved">
                  <MessageBarBody>
                    <MessageBarTitle>Save first</MessageBarTitle>
                    {blocked}
                  </MessageBarBody>
                </MessageBar>
              </DialogContent>
              <DialogActions><Button onClick={close}>Close</Button></DialogActions>
            </>
          ) : (
            // The fallback keeps a button to focus: a modal surface with nothing focusable in it gets
            // aria-hidden from the focus manager, and screen readers lose the dialog.
            <Suspense fallback={<><DialogContent><Spinner size="small" label="Loading" /></DialogContent><DialogActions><Button onClick={close}>Cancel</Button></DialogActions></>}>
              <TestRunPanel workflowId={workflowId} version={version} onClose={close} />
            </Suspense>
          )}
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
