// Runbooks live in git: the definition being edited (saved or not) exports as YAML or JSON, and a
// YAML or JSON file (or pasted text) imports into the designer, replacing what is there.
import { useState } from 'react';
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger,
  MessageBar, MessageBarBody, Textarea, makeStyles, tokens,
} from '@fluentui/react-components';
import { ArrowDownload20Regular, ArrowUpload20Regular, Copy20Regular, DocumentArrowUp20Regular } from '@fluentui/react-icons';
import { post } from '../../lib/api.ts';
import type { Definition } from '../../lib/design-api.ts';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: '12px' },
  text: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, minHeight: '220px' },
});

/**
 * The definition as a runbook file: the id first, then the fields in the order people read them.
 * The server writes and reads the text (YAML stays out of the browser bundle).
 */
export async function definitionText(def: Definition, format: 'yaml' | 'json'): Promise<string> {
  return (await post<{ text: string }>('/api/workflow-files/write', { definition: def, format })).text;
}

/** Reads YAML or JSON text into a definition-shaped object, or says what is wrong with it. */
export async function readDefinitionText(text: string): Promise<Definition> {
  return (await post<{ definition: Definition }>('/api/workflow-files/read', { text })).definition;
}

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function ImportExport({ definition, fileName, onImport, onMessage }: {
  definition: () => Definition;
  fileName: string;
  onImport: (def: Definition) => void;
  onMessage: (text: string) => void;
}) {
  const s = useStyles();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const doImport = async () => {
    try {
      onImport(await readDefinitionText(text));
      setOpen(false);
      setText('');
      setError(null);
      onMessage('Imported. Review the steps, then save to keep it as a new version.');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const exportAs = async (format: 'yaml' | 'json') => {
    download(`${fileName}.${format}`, await definitionText(definition(), format), format === 'json' ? 'application/json' : 'application/yaml');
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(await definitionText(definition(), 'yaml'));
      onMessage('The definition is on the clipboard as YAML.');
    } catch {
      onMessage('The clipboard is not available here; use Export as YAML instead.');
    }
  };

  return (
    <>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <Button icon={<DocumentArrowUp20Regular />}>Import / export</Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItem icon={<ArrowUpload20Regular />} onClick={() => setOpen(true)}>Import YAML or JSON…</MenuItem>
            <MenuItem icon={<ArrowDownload20Regular />} onClick={() => void exportAs('yaml')}>Export as YAML</MenuItem>
            <MenuItem icon={<ArrowDownload20Regular />} onClick={() => void exportAs('json')}>Export as JSON</MenuItem>
            <MenuItem icon={<Copy20Regular />} onClick={() => void copy()}>Copy as YAML</MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
      <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Import a workflow definition</DialogTitle>
            <DialogContent className={s.content}>
              <span>The import replaces what is in the designer. Nothing is saved until you save.</span>
              <Field label="Choose a file (.yaml, .yml or .json)">
                <input
                  type="file"
                  accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
                  onChange={async (e) => { const f = e.target.files?.[0]; if (f) setText(await f.text()); }}
                />
              </Field>
              <Field label="Or paste YAML or JSON">
                <Textarea value={text} onChange={(_, d) => setText(d.value)} textarea={{ className: s.text }} resize="vertical" />
              </Field>
              {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setOpen(false)}>Cancel</Button>
              <Button appearance="primary" disabled={!text.trim()} onClick={() => void doImport()}>Import</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}
