import { describe, expect, it } from 'vitest';
import {
  escapeModulePath,
  sharedSuffixLength,
  sourceCandidates,
  type SourceRoots,
} from '../../../src/core/source/candidates';

const roots: SourceRoots = {
  modules: [
    { path: 'example.com/shop', dir: '/ws/shop' },
    { path: 'example.com/shop/tools', dir: '/ws/shop/tools' },
  ],
  workspaceFolders: ['/ws/shop'],
  goroot: '/usr/local/go',
  gomodcache: '/home/u/go/pkg/mod',
};

const paths = (file: string) => sourceCandidates(file, roots).map((c) => c.path);

describe('sourceCandidates', () => {
  it('tries an absolute path first', () => {
    expect(paths('/ws/shop/cart/cart.go')[0]).toBe('/ws/shop/cart/cart.go');
  });
  it('maps -trimpath module paths through go.mod, longest module first', () => {
    expect(paths('example.com/shop/cart/cart.go')[0]).toBe('/ws/shop/cart/cart.go');
    expect(paths('example.com/shop/tools/gen/main.go')[0]).toBe('/ws/shop/tools/gen/main.go');
  });
  it('maps versioned dependencies to the module cache (case-escaped) and vendor/', () => {
    expect(paths('github.com/BurntSushi/toml@v1.3.2/decode.go')).toEqual([
      '/home/u/go/pkg/mod/github.com/!burnt!sushi/toml@v1.3.2/decode.go',
      '/ws/shop/vendor/github.com/BurntSushi/toml/decode.go',
    ]);
  });
  it('maps another machine’s module cache into ours', () => {
    expect(paths('/home/ci/go/pkg/mod/golang.org/x/net@v0.1.0/http2/server.go')).toContain(
      '/home/u/go/pkg/mod/golang.org/x/net@v0.1.0/http2/server.go',
    );
  });
  it('maps the standard library from any GOROOT, and trimmed', () => {
    expect(paths('/opt/go1.22/src/runtime/proc.go')).toContain('/usr/local/go/src/runtime/proc.go');
    expect(paths('runtime/proc.go')).toContain('/usr/local/go/src/runtime/proc.go');
  });
  it('normalises Windows separators', () => {
    expect(paths('C:\\src\\shop\\main.go')[0]).toBe('C:/src/shop/main.go');
  });
  it('escapes module paths as the module cache does', () => {
    expect(escapeModulePath('github.com/Azure/SDK')).toBe('github.com/!azure/!s!d!k');
  });
  it('scores shared path tails', () => {
    expect(sharedSuffixLength('/ws/shop/cart/cart.go', '/home/ci/shop/cart/cart.go')).toBe(3);
    expect(sharedSuffixLength('/a/b.go', '/c/d.go')).toBe(0);
  });
});
