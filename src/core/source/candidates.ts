// Where a file named in a profile or trace may be on this machine. Go records file names as
// the build saw them: absolute paths on the build machine, module-relative paths with
// -trimpath (`example.com/mod/pkg/file.go`, `github.com/x/y@v1.2.3/z.go`), and the standard
// library as `$GOROOT/src/...` or, with -trimpath, `runtime/proc.go`.

/** A Go module found in the workspace: its path from go.mod and the folder holding go.mod. */
export interface WorkspaceModule {
  path: string;
  dir: string;
}

export interface SourceRoots {
  modules: WorkspaceModule[];
  /** Workspace folders, for `vendor/` and for matching the tail of a foreign absolute path. */
  workspaceFolders: string[];
  goroot?: string;
  gomodcache?: string;
}

export interface Candidate {
  path: string;
  /** Why this place was tried, for the message shown when nothing matches. */
  reason: string;
}

/**
 * Applies Go's module cache case-encoding: each upper-case letter becomes `!` + lower case
 * (golang.org/x/mod/module.EscapePath), so `github.com/BurntSushi/toml` is stored under
 * `github.com/!burnt!sushi/toml`.
 */
export function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase());
}

function join(dir: string, rest: string): string {
  return dir.replace(/\/+$/, '') + '/' + rest.replace(/^\/+/, '');
}

/** Normalises Windows separators so one set of rules applies everywhere. */
function slashes(p: string): string {
  return p.replace(/\\/g, '/');
}

/**
 * Lists the places to look for `file`, most specific first. The caller checks which exist.
 * Pure: no file system access, so it can be tested with plain tables.
 */
export function sourceCandidates(file: string, roots: SourceRoots): Candidate[] {
  const f = slashes(file);
  const out: Candidate[] = [];
  const add = (path: string, reason: string) => {
    if (!out.some((c) => c.path === path)) out.push({ path, reason });
  };
  const isAbsolute = f.startsWith('/') || /^[a-zA-Z]:\//.test(f);
  if (isAbsolute) add(f, 'the path recorded in the profile');

  // -trimpath: module path + path inside the module. Longest module path wins (nested modules).
  const modules = [...roots.modules].sort((a, b) => b.path.length - a.path.length);
  for (const m of modules) {
    if (f.startsWith(m.path + '/'))
      add(join(slashes(m.dir), f.slice(m.path.length + 1)), `workspace module ${m.path}`);
  }

  // A dependency at a version: `mod/path@v1.2.3/file.go`, in the module cache or vendored.
  const versioned = /^(.*?)@([^/]+)\/(.*)$/.exec(isAbsolute ? '' : f);
  if (versioned) {
    const [, modPath, version, rest] = versioned;
    if (roots.gomodcache)
      add(
        join(slashes(roots.gomodcache), `${escapeModulePath(modPath)}@${version}/${rest}`),
        'GOMODCACHE',
      );
    for (const w of roots.workspaceFolders)
      add(join(slashes(w), `vendor/${modPath}/${rest}`), 'vendor/');
  }
  // A dependency path inside someone else's module cache: `…/pkg/mod/mod/path@v/file.go`.
  const inModCache = /\/pkg\/mod\/(.+@[^/]+\/.*)$/.exec(f);
  if (inModCache && roots.gomodcache)
    add(join(slashes(roots.gomodcache), inModCache[1]), 'GOMODCACHE');

  // The standard library: `$GOROOT/src/runtime/proc.go` from any GOROOT (another machine, a
  // downloaded toolchain), or `runtime/proc.go` under -trimpath.
  if (roots.goroot) {
    const goroot = slashes(roots.goroot);
    const srcAt = f.lastIndexOf('/src/');
    if (isAbsolute && srcAt >= 0) add(join(goroot, f.slice(srcAt + 1)), 'GOROOT');
    if (!isAbsolute && !versioned) add(join(goroot, 'src/' + f), 'GOROOT');
  }

  // A vendored package recorded without a version (GOFLAGS=-mod=vendor with -trimpath).
  if (!isAbsolute && !versioned) {
    for (const w of roots.workspaceFolders) add(join(slashes(w), 'vendor/' + f), 'vendor/');
  }
  return out;
}

/**
 * For a path from another machine (`/home/ci/src/app/pkg/db/db.go`), scores a workspace file by
 * how many trailing path components it shares. Used as the last resort after `sourceCandidates`.
 */
export function sharedSuffixLength(a: string, b: string): number {
  const pa = slashes(a).split('/');
  const pb = slashes(b).split('/');
  let n = 0;
  while (n < pa.length && n < pb.length && pa[pa.length - 1 - n] === pb[pb.length - 1 - n]) n++;
  return n;
}
