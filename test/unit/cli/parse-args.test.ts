// golens' argument parsing (Node's util.parseArgs underneath): flags with values, switches,
// repeatable flags, `--`, and one-line errors that name the flag.
import { describe, expect, it } from 'vitest';
import { CliError, intFlag, parseArgs } from '../../../src/cli/command';

const parse = (args: string[]) => parseArgs(args, ['focus', 'seconds'], ['json'], ['tagfocus']);

describe('parseArgs', () => {
  it.each<[string[], string[], Record<string, string | true>, string[]]>([
    [['a.pb.gz'], ['a.pb.gz'], {}, []],
    [['--focus', 'main', 'a'], ['a'], { focus: 'main' }, []],
    [['--focus=main', 'a'], ['a'], { focus: 'main' }, []],
    // A switch does not take the next word: it stays positional.
    [['--json', 'a'], ['a'], { json: true }, []],
    [['a', '--tagfocus', 'x=1', '--tagfocus=y=2'], ['a'], {}, ['x=1', 'y=2']],
    // The last of a repeated plain flag wins.
    [['--focus', 'a', '--focus', 'b'], [], { focus: 'b' }, []],
    // "-" (standard input) is positional; after "--" everything is.
    [['-', '--json'], ['-'], { json: true }, []],
    [['a', '--', '--json'], ['a', '--json'], {}, []],
    [['--focus=', 'a'], ['a'], { focus: '' }, []],
  ])('%j', (args, positional, flags, tagfocus) => {
    const p = parse(args);
    expect(p.positional).toEqual(positional);
    expect(Object.fromEntries(p.flags)).toEqual(flags);
    expect(p.lists.get('tagfocus') ?? []).toEqual(tagfocus);
  });

  it.each([
    [['a', '--bogus'], 'unknown flag --bogus'],
    [['a', '-x'], 'unknown flag -x'],
    [['--focus'], '--focus needs a value'],
    [['--tagfocus'], '--tagfocus needs a value'],
    [['--json=yes'], '--json takes no value'],
    [
      ['--focus', '-main'],
      '--focus needs a value; for one that starts with "-", write --focus=<value>',
    ],
  ])('%j fails with "%s"', (args, message) => {
    expect(() => parse(args)).toThrow(CliError);
    expect(() => parse(args)).toThrow(message);
  });

  it('reads integer flags', () => {
    expect(intFlag(parse(['--seconds', '30']), 'seconds')).toBe(30);
    expect(intFlag(parse([]), 'seconds')).toBeUndefined();
    expect(() => intFlag(parse(['--seconds', '3s']), 'seconds')).toThrow(
      '--seconds must be a non-negative integer, got "3s"',
    );
  });
});
