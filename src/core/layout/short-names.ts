// Go function names are long (`github.com/acme/shop/internal/cart.(*Service).Checkout.func2`).
// A flame box shows the longest of these forms that fits, as pprof's flame graph does.

/**
 * Progressively shorter display forms of a Go function name, longest first:
 * full name → without the import path → without the package → the last two name parts.
 */
export function shortNames(name: string): string[] {
  const out = [name];
  const add = (s: string) => {
    if (s && s !== out[out.length - 1]) out.push(s);
  };
  // The import path ends at the last slash before the first '(' or the package's '.'.
  const paren = name.indexOf('(');
  const head = paren >= 0 ? name.slice(0, paren) : name;
  const lastSlash = head.lastIndexOf('/');
  const withoutPath = lastSlash >= 0 ? name.slice(lastSlash + 1) : name;
  add(withoutPath);
  const dot = withoutPath.indexOf('.');
  const withoutPackage = dot >= 0 ? withoutPath.slice(dot + 1) : withoutPath;
  add(withoutPackage);
  const parts = withoutPackage.split('.');
  if (parts.length > 2) add(parts.slice(-2).join('.'));
  return out;
}

/** The package part of a Go function name (`github.com/acme/shop/cart` for a cart method). */
export function packageOf(name: string): string {
  const paren = name.indexOf('(');
  const head = paren >= 0 ? name.slice(0, paren) : name;
  const lastSlash = head.lastIndexOf('/');
  const dot = name.indexOf('.', lastSlash + 1);
  return dot >= 0 ? name.slice(0, dot) : name;
}
