// Reading the VS Code theme inside a webview: its kind (from the body class VS Code sets) and
// the --vscode-* colours, so canvas drawing matches the chrome around it.

import type { ThemeKind } from './theme-kind';

export type { ThemeKind };

export function themeKind(): ThemeKind {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

/** A --vscode-* colour (name without the prefix), or the fallback when the theme lacks it. */
export function cssColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(`--vscode-${name}`).trim();
  return v || fallback;
}

/** The editor font as a canvas font string. */
export function uiFont(sizePx: number): string {
  const family =
    getComputedStyle(document.body).getPropertyValue('--vscode-font-family').trim() ||
    'system-ui, sans-serif';
  return `${sizePx}px ${family}`;
}

/** Calls `onChange` when the user switches theme (VS Code swaps body classes and variables). */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}
