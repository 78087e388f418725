// How the overlay is drawn: view (photo+overlay / model alone / raw photo), style and opacity.
import { Box, Eye, Image, Keyboard } from 'lucide-preact';
import type { OverlayMode, ViewMode } from '../render/contract';
import { useMessages } from '../i18n';
import { OVERLAY_MODES, VIEW_MODES, updateView, viewSettings } from '../state/view-settings';

const VIEW_ICON = { overlay: Eye, model: Box, photo: Image } as const;

export function ViewToolbar({ onHelp }: { onHelp(): void }) {
  const m = useMessages();
  const s = viewSettings.value;
  const viewName: Record<ViewMode, string> = { overlay: m.annotate.viewOverlay, model: m.annotate.viewModel, photo: m.annotate.viewPhoto };
  const modeName: Record<OverlayMode, string> = { wireframe: m.annotate.wireframe, shaded: m.annotate.shaded, silhouette: m.annotate.silhouette };
  return (
    <div class="view-toolbar" role="toolbar" aria-label={m.annotate.view}>
      <div class="segmented segmented-sm" role="radiogroup" aria-label={m.annotate.view}>
        {VIEW_MODES.map((v) => {
          const Icon = VIEW_ICON[v];
          return (
            <label key={v} class={`seg${s.view === v ? ' on' : ''}`} title={viewName[v]}>
              <input type="radio" name="view" value={v} checked={s.view === v} onChange={() => updateView({ view: v })} />
              <Icon size={14} aria-hidden="true" />
              <span>{viewName[v]}</span>
            </label>
          );
        })}
      </div>
      <div class="segmented segmented-sm" role="radiogroup" aria-label={m.annotate.overlayMode}>
        {OVERLAY_MODES.map((mode) => (
          <label key={mode} class={`seg${s.overlayMode === mode ? ' on' : ''}`}>
            <input type="radio" name="overlayMode" value={mode} checked={s.overlayMode === mode} onChange={() => updateView({ overlayMode: mode })} />
            <span>{modeName[mode]}</span>
          </label>
        ))}
      </div>
      <label class="opacity">
        <span>{m.annotate.opacity}</span>
        <input type="range" min={0.1} max={1} step={0.05} value={s.opacity} aria-label={m.annotate.opacity} onInput={(e) => updateView({ opacity: Number(e.currentTarget.value) })} />
      </label>
      <span class="hint muted small">{m.annotate.hideHint}</span>
      <button type="button" class="icon-btn" aria-label={m.annotate.help} title={`${m.annotate.help} (?)`} onClick={onHelp}>
        <Keyboard size={18} aria-hidden="true" />
      </button>
    </div>
  );
}
