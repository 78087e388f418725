// A small segmented choice (radio group) for the quality pages: the view (overlay, photo, model alone)
// and before/after on a reworked item.
export function Choice<T extends string>({ label, name, options, value, onChange, names }: {
  label: string;
  name: string;
  options: readonly T[];
  value: T;
  onChange: (v: T) => void;
  names: Record<string, string>;
}) {
  return (
    <div class="segmented segmented-sm" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <label key={o} class={`seg${value === o ? ' on' : ''}`}>
          <input type="radio" name={name} value={o} checked={value === o} onChange={() => onChange(o)} />
          <span>{names[o] ?? o}</span>
        </label>
      ))}
    </div>
  );
}
