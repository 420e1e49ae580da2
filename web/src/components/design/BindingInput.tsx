// A text box for a step input or a condition that completes references: type `{{` (or press
// Ctrl+Space) and it lists parameters, context, tenant defaults and earlier steps' outputs; arrow
// keys pick, Enter or Tab accepts, Escape closes. It is an ARIA combobox over a listbox.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Input, Textarea, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { applySuggestion, completionAt, filterSuggestions, type Completion, type Suggestion } from './bindings.ts';

const useStyles = makeStyles({
  wrap: { position: 'relative', width: '100%' },
  control: { width: '100%' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  list: {
    position: 'absolute', zIndex: 20, top: '100%', left: 0, right: 0, marginTop: '2px', maxHeight: '240px', overflowY: 'auto',
    listStyle: 'none', padding: '4px 0', margin: 0, background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow16, border: `1px solid ${tokens.colorNeutralStroke1}`,
  },
  option: {
    padding: '6px 10px', cursor: 'pointer', display: 'flex', flexDirection: 'column', gap: '1px',
    ':hover': { background: tokens.colorNeutralBackground1Hover },
  },
  active: { background: tokens.colorNeutralBackground1Selected, outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  path: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
  detail: { fontSize: tokens.fontSizeBase100, color: tokens.colorNeutralForeground3 },
});

export interface BindingInputProps {
  id: string;
  value: string;
  onChange: (text: string) => void;
  suggestions: readonly Suggestion[];
  mode?: 'value' | 'condition';
  multiline?: boolean;
  placeholder?: string;
  'aria-label'?: string;
}

export function BindingInput({ id, value, onChange, suggestions, mode = 'value', multiline, placeholder, ...rest }: BindingInputProps) {
  const s = useStyles();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [comp, setComp] = useState<Completion | null>(null);
  const [active, setActive] = useState(0);
  const caretAfter = useRef<number | null>(null);
  const items = useMemo(() => (comp ? filterSuggestions(suggestions, comp.prefix) : []), [comp, suggestions]);
  const open = !!comp && items.length > 0;
  const listId = `${id}-completions`;

  useLayoutEffect(() => {
    if (caretAfter.current !== null && ref.current) {
      ref.current.setSelectionRange(caretAfter.current, caretAfter.current);
      caretAfter.current = null;
    }
  });

  const refresh = (text: string, caret: number) => {
    const c = completionAt(text, caret, mode);
    setComp(c);
    setActive(0);
  };

  const accept = (sug: Suggestion) => {
    if (!comp) return;
    const next = applySuggestion(value, comp, sug.path);
    caretAfter.current = next.caret;
    onChange(next.text);
    // An output path that ends in "." invites the next part at once.
    if (sug.path.endsWith('.')) refresh(next.text, next.caret);
    else setComp(null);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === ' ' && e.ctrlKey) {
      e.preventDefault();
      const el = ref.current!;
      const caret = el.selectionStart ?? value.length;
      if (mode === 'value' && !completionAt(value, caret, 'value')) {
        const next = `${value.slice(0, caret)}{{${value.slice(caret)}`;
        caretAfter.current = caret + 2;
        onChange(next);
        refresh(next, caret + 2);
      } else refresh(value, caret);
      return;
    }
    if (!open) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => (a + 1) % items.length); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => (a - 1 + items.length) % items.length); }
    else if (e.key === 'Enter' || e.key === 'Tab') { e.preventDefault(); accept(items[active]!); }
    else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); setComp(null); }
  };

  const common = {
    id,
    ref,
    value,
    placeholder,
    className: mergeClasses(s.control),
    role: 'combobox',
    'aria-autocomplete': 'list' as const,
    'aria-expanded': open,
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': open ? `${listId}-${active}` : undefined,
    autoComplete: 'off',
    spellCheck: false,
    onKeyDown,
    onBlur: () => setComp(null),
    ...rest,
  };

  return (
    <div className={s.wrap}>
      {multiline ? (
        <Textarea
          {...common}
          resize="vertical"
          textarea={{ className: s.mono }}
          onChange={(e, d) => { onChange(d.value); refresh(d.value, (e.target as HTMLTextAreaElement).selectionStart ?? d.value.length); }}
        />
      ) : (
        <Input
          {...common}
          input={{ className: s.mono }}
          onChange={(e, d) => { onChange(d.value); refresh(d.value, (e.target as HTMLInputElement).selectionStart ?? d.value.length); }}
        />
      )}
      {open && (
        <ul className={s.list} role="listbox" id={listId} aria-label="Suggestions">
          {items.map((it, i) => (
            <li
              key={it.path}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={mergeClasses(s.option, i === active && s.active)}
              onMouseDown={(e) => { e.preventDefault(); accept(it); }}
            >
              <span className={s.path}>{it.path}</span>
              <span className={s.detail}>{it.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
