/** VS Code's theme kinds, as the body class of a webview names them. */
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
