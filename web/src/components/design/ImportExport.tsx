// Runbooks live in git: the definition being edited (saved or not) exports as YAML or JSON, and a
// YAML or JSON file (or pasted text) imports into the designer, replacing what is there.
import { useState } from 'react';
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger,
  MessageBar, MessageBarBody, Textarea, makeStyles, tokens,
} from '@fluentui/react-components';
import { ArrowDownload20Regular, ArrowUpload20Regular, Copy20Regular, DocumentArrowUp20Regular } from '@fluentui/react-icons';
import type { Definition } from '../../lib/design-api.ts';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: '12px' },
  text: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, minHeight: '220px' },
});

const loadYaml = () => import('yaml');

/** The definition as a runbook file: the id first, then the fields in the order people read them. */
export async function definitionText(def: Definition, format: 'yaml' | 'json'): Promise<string> {
  const ordered = { ...(def.id ? { id: def.id } : {}), name: def.name, description: def.description, ...(def.category ? { category: def.category } : {}), parameters: def.parameters, steps: def.steps, outputs: def.outputs };
  if (format === 'json') return `${JSON.stringify(ordered, null, 2)}\n`;
  const { stringify } = await loadYaml();
  return stringify(ordered, { lineWidth: 0 });
}

/** Reads YAML or JSON text into a definition-shaped object, or says what is wrong with it. */
export async function readDefinitionText(text: string): Promise<Definition> {
  const { parse } = await loadYaml();
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new Error(`The text is not valid YAML or JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('A workflow definition is an object with a name, parameters and steps.');
  const d = raw as Partial<Definition>;
  if (!Array.isArray(d.steps)) throw new Error('The definition has no list of steps.');
  if (d.parameters !== undefined && !Array.isArray(d.parameters)) throw new Error('parameters must be a list.');
  return { name: String(d.name ?? ''), description: String(d.description ?? ''), parameters: d.parameters ?? [], steps: d.steps, outputs: d.outputs ?? {}, ...(d.category ? { category: d.category } : {}), ...(d.id ? { id: d.id } : {}) };
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
