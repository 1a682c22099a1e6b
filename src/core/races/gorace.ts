// GORACE is a space-separated list of name=value options read by the race runtime
// (log_path, exitcode, strip_path_prefix, history_size, halt_on_error, atexit_sleep_ms…).

/**
 * `setting` merged into `existing`: an option named in both takes the setting's value (the
 * user asked for it in Go Lens), every other option of both is kept, in order.
 */
export function mergeGorace(existing: string | undefined, setting: string | undefined): string {
  const options = new Map<string, string>();
  const add = (text: string | undefined) => {
    for (const item of (text ?? '').split(/\s+/)) {
      if (item === '') continue;
      const eq = item.indexOf('=');
      const name = eq < 0 ? item : item.slice(0, eq);
      options.delete(name);
      options.set(name, item);
    }
  };
  add(existing);
  add(setting);
  return [...options.values()].join(' ');
}
