// pprof's filters as removable chips: focus / ignore / hide / show (Go regexps on function names
// and files), prune runtime frames, and label filters from the profile's labels. They apply to
// every view of the profile.
import {
  VscodeButton,
  VscodeCheckbox,
  VscodeOption,
  VscodeSingleSelect,
  VscodeTextfield,
} from '@vscode-elements/react-elements';
import { useState } from 'react';
import {
  tagExpression,
  type LabelKeySummary,
  type ProfileFilter,
} from '../../src/core/pprof/filter';

type TextFilterKind = 'focus' | 'ignore' | 'hide' | 'show';
const TEXT_KINDS: { kind: TextFilterKind; label: string; help: string }[] = [
  {
    kind: 'focus',
    label: 'Focus',
    help: 'keep only stacks through a matching frame (pprof -focus)',
  },
  { kind: 'ignore', label: 'Ignore', help: 'drop stacks through a matching frame (pprof -ignore)' },
  { kind: 'hide', label: 'Hide', help: 'remove matching frames from stacks (pprof -hide)' },
  { kind: 'show', label: 'Show', help: 'keep only matching frames in stacks (pprof -show)' },
];

export interface FilterBarProps {
  filter: ProfileFilter;
  labels: LabelKeySummary[];
  error: string | undefined;
  onChange(filter: ProfileFilter): void;
}

/** True when the filter changes anything. */
export function isFiltered(f: ProfileFilter): boolean {
  return Boolean(
    f.focus ||
    f.ignore ||
    f.hide ||
    f.show ||
    f.showFrom ||
    f.pruneFrom ||
    f.pruneRuntime ||
    f.tagFocus?.length ||
    f.tagIgnore?.length,
  );
}

/** Adds a regexp to a filter field, joining with an existing one as pprof users do (`a|b`). */
export function addToFilter(
  filter: ProfileFilter,
  kind: TextFilterKind,
  re: string,
): ProfileFilter {
  const existing = filter[kind];
  return { ...filter, [kind]: existing ? `${existing}|${re}` : re };
}

/** A regexp matching exactly one function name. */
export function exactName(name: string): string {
  return '^' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$';
}

export function FilterBar(props: FilterBarProps) {
  const { filter, onChange } = props;
  const [kind, setKind] = useState<TextFilterKind>('focus');
  const [text, setText] = useState('');
  const add = () => {
    if (text.trim() === '') return;
    onChange(addToFilter(filter, kind, text.trim()));
    setText('');
  };
  const without = (key: keyof ProfileFilter, index?: number): ProfileFilter => {
    const next = { ...filter };
    if (index !== undefined && (key === 'tagFocus' || key === 'tagIgnore')) {
      next[key] = (filter[key] ?? []).filter((_, i) => i !== index);
      if (next[key]!.length === 0) delete next[key];
    } else {
      delete next[key];
    }
    return next;
  };
  const chips: { id: string; label: string; title: string; remove: ProfileFilter }[] = [];
  for (const k of TEXT_KINDS) {
    const v = filter[k.kind];
    if (v)
      chips.push({ id: k.kind, label: `${k.label}: ${v}`, title: k.help, remove: without(k.kind) });
  }
  if (filter.showFrom)
    chips.push({
      id: 'showFrom',
      label: `Show from: ${filter.showFrom}`,
      title: 'pprof -show_from',
      remove: without('showFrom'),
    });
  if (filter.pruneFrom)
    chips.push({
      id: 'pruneFrom',
      label: `Prune from: ${filter.pruneFrom}`,
      title: 'pprof -prune_from',
      remove: without('pruneFrom'),
    });
  (filter.tagFocus ?? []).forEach((t, i) =>
    chips.push({
      id: `tf${i}`,
      label: `Label: ${t}`,
      title: 'only samples with this label (pprof -tagfocus)',
      remove: without('tagFocus', i),
    }),
  );
  (filter.tagIgnore ?? []).forEach((t, i) =>
    chips.push({
      id: `ti${i}`,
      label: `Not label: ${t}`,
      title: 'drop samples with this label (pprof -tagignore)',
      remove: without('tagIgnore', i),
    }),
  );

  const labelOptions = props.labels.flatMap((l) =>
    l.values
      .slice(0, 50)
      .map((v) => ({ key: l.key, value: v.value, unit: l.unit, kind: l.kind, samples: v.samples })),
  );

  return (
    <div className="filter-bar" role="group" aria-label="Filters">
      <VscodeSingleSelect
        className="filter-kind"
        aria-label="Filter kind"
        value={kind}
        onChange={(e) => setKind((e.target as HTMLSelectElement).value as TextFilterKind)}
      >
        {TEXT_KINDS.map((k) => (
          <VscodeOption key={k.kind} value={k.kind} description={k.help}>
            {k.label}
          </VscodeOption>
        ))}
      </VscodeSingleSelect>
      <VscodeTextfield
        className="filter-text"
        placeholder="regexp, then Enter"
        aria-label="Filter regexp"
        value={text}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') add();
        }}
      />
      <VscodeCheckbox
        className="prune-runtime"
        checked={Boolean(filter.pruneRuntime)}
        title="Count time spent inside the Go runtime as its caller's (pprof's drop_frames on runtime.*)"
        onChange={(e) => {
          const checked = (e.target as HTMLInputElement).checked;
          onChange(checked ? { ...filter, pruneRuntime: true } : without('pruneRuntime'));
        }}
      >
        Prune runtime
      </VscodeCheckbox>
      {labelOptions.length > 0 && (
        <VscodeSingleSelect
          className="label-filter"
          aria-label="Add a label filter"
          value=""
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            const o = labelOptions[Number(v)];
            if (!o) return;
            const expr = tagExpression(
              o.key,
              o.kind === 'number' ? Number(o.value) : o.value,
              o.unit,
            );
            onChange({ ...filter, tagFocus: [...(filter.tagFocus ?? []), expr] });
          }}
        >
          <VscodeOption value="">Label…</VscodeOption>
          {labelOptions.map((o, i) => (
            <VscodeOption key={i} value={String(i)} description={`${o.samples} samples`}>
              {`${o.key}=${o.value}`}
            </VscodeOption>
          ))}
        </VscodeSingleSelect>
      )}
      {chips.map((c) => (
        <span key={c.id} className="chip" title={c.title} data-testid="filter-chip">
          {c.label}
          <button
            className="chip-remove"
            aria-label={`Remove ${c.label}`}
            onClick={() => onChange(c.remove)}
          >
            ×
          </button>
        </span>
      ))}
      {chips.length > 1 && (
        <VscodeButton secondary onClick={() => onChange({})}>
          Clear filters
        </VscodeButton>
      )}
      {props.error && (
        <div className="filter-error" role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
}
