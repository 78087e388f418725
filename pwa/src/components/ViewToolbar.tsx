// How the overlay is drawn: view (photo+overlay / model alone / raw photo), style and opacity; the
// photo's zoom, the hand tool and fine control; and the display options (colour, line width, crease
// angle, pointer sensitivity).
import { Box, Eye, Hand, Image, Keyboard, Minus, Plus, Crosshair } from 'lucide-preact';
import type { OverlayMode, ViewMode } from '../render/contract';
import { useMessages } from '../i18n';
import { zoomCommand } from '../state/photo-view';
import { fineMode, OVERLAY_MODES, panTool, updateView, VIEW_MODES, viewSettings } from '../state/view-settings';
import { DisplayOptions } from './DisplayOptions';

const VIEW_ICON = { overlay: Eye, model: Box, photo: Image } as const;

export function ViewToolbar({ onHelp }: { onHelp(): void }) {
  const m = useMessages();
  const a = m.annotate;
  const s = viewSettings.value;
  const viewName: Record<ViewMode, string> = { overlay: a.viewOverlay, model: a.viewModel, photo: a.viewPhoto };
  const modeName: Record<OverlayMode, string> = { edges: a.edges, wireframe: a.wireframe, shaded: a.shaded, silhouette: a.silhouette };
  return (
    <div class="view-toolbar" role="toolbar" aria-label={a.view}>
      <div class="segmented segmented-sm" role="radiogroup" aria-label={a.view}>
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
      <div class="segmented segmented-sm" role="radiogroup" aria-label={a.overlayMode}>
        {OVERLAY_MODES.map((mode) => (
          <label key={mode} class={`seg${s.overlayMode === mode ? ' on' : ''}`}>
            <input type="radio" name="overlayMode" value={mode} checked={s.overlayMode === mode} onChange={() => updateView({ overlayMode: mode })} />
            <span>{modeName[mode]}</span>
          </label>
        ))}
      </div>
      <label class="opacity">
        <span>{a.opacity}</span>
        <input type="range" min={0.1} max={1} step={0.05} value={s.opacity} aria-label={a.opacity} onInput={(e) => updateView({ opacity: Number(e.currentTarget.value) })} />
      </label>
      <div class="tool-group" role="group" aria-label={a.zoom}>
        <button type="button" class="icon-btn" aria-label={a.zoomOut} title={`${a.zoomOut} ([)`} onClick={() => zoomCommand('out')}>
          <Minus size={16} aria-hidden="true" />
        </button>
        <button type="button" class="icon-btn" aria-label={a.zoomIn} title={`${a.zoomIn} (])`} onClick={() => zoomCommand('in')}>
          <Plus size={16} aria-hidden="true" />
        </button>
        <button type="button" class="btn-mini" title={`${a.zoomFit} (0)`} onClick={() => zoomCommand('fit')}>
          {a.zoomFit}
        </button>
        <button type="button" class="btn-mini" title={`${a.zoomBbox} (B)`} onClick={() => zoomCommand('bbox')}>
          {a.zoomBbox}
        </button>
        <button type="button" class="btn-mini" title={`${a.zoomActual} (Shift+0)`} onClick={() => zoomCommand('actual')}>
          1:1
        </button>
        <button type="button" class={`icon-btn${panTool.value ? ' on' : ''}`} aria-pressed={panTool.value} aria-label={a.panTool} title={`${a.panTool} (H)`} onClick={() => (panTool.value = !panTool.value)}>
          <Hand size={16} aria-hidden="true" />
        </button>
        <button type="button" class={`icon-btn${fineMode.value ? ' on' : ''}`} aria-pressed={fineMode.value} aria-label={a.fine} title={`${a.fine} (F, or hold Alt)`} onClick={() => (fineMode.value = !fineMode.value)}>
          <Crosshair size={16} aria-hidden="true" />
        </button>
      </div>
      <DisplayOptions />
      <span class="hint muted small">{a.hideHint}</span>
      <button type="button" class="icon-btn" aria-label={a.help} title={`${a.help} (?)`} onClick={onHelp}>
        <Keyboard size={18} aria-hidden="true" />
      </button>
    </div>
  );
}
