// Colours of the dashboard from the VS Code theme (--vscode-* variables), re-read when the theme
// changes, with fallbacks of the default dark theme. The charts.* colours exist in every theme,
// high contrast included, where they are chosen to stand out against the background.
import { cssColor, themeKind } from '../common/theme';

export interface Palette {
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  selection: string;
  blue: string;
  red: string;
  green: string;
  yellow: string;
  orange: string;
  purple: string;
  heatLow: string;
  heatHigh: string;
}

export function makePalette(): Palette {
  const kind = themeKind();
  const hc = kind === 'high-contrast' || kind === 'high-contrast-light';
  const foreground = cssColor('foreground', '#cccccc');
  return {
    foreground,
    muted: cssColor('descriptionForeground', '#9d9d9d'),
    background: cssColor('editor-background', '#1e1e1e'),
    grid: hc
      ? cssColor('contrastBorder', '#6fc3df')
      : cssColor('editorWidget-border', cssColor('panel-border', '#454545')),
    selection: cssColor('editorCursor-foreground', foreground),
    blue: cssColor('charts-blue', '#3794ff'),
    red: cssColor('charts-red', '#f14c4c'),
    green: cssColor('charts-green', '#89d185'),
    yellow: cssColor('charts-yellow', '#cca700'),
    orange: cssColor('charts-orange', '#d18616'),
    purple: cssColor('charts-purple', '#b180d7'),
    heatLow: cssColor('charts-blue', '#3794ff'),
    heatHigh: cssColor('charts-red', '#f14c4c'),
  };
}
