// Shortcuts that change only how the photo is seen (zoom, hand tool, fine control): no annotation state.
import type { ShortcutAction } from './keymap';
import { zoomCommand } from './photo-view';
import { fineMode, panTool } from './view-settings';

export function viewShortcut(a: ShortcutAction): void {
  if (a.type === 'zoom') zoomCommand(a.cmd);
  else if (a.type === 'panTool') panTool.value = !panTool.value;
  else if (a.type === 'fine') fineMode.value = !fineMode.value;
}
