// --binary EXE for golens top and folded: names the bare addresses of a profile from the
// program's executable, as `go tool pprof EXE PROFILE` does.
import { applySymbols, unsymbolizedAddresses } from '../core/pprof/symbolize';
import type { Profile } from '../core/pprof/model';
import { addr2line, SymbolizeError } from '../node/addr2line';
import { CliError } from './command';

/** The profile symbolized with `binary`; says on stderr how it went when it did not fully work. */
export async function symbolizeWithBinary(
  profile: Profile,
  binary: string,
  path: string,
): Promise<Profile> {
  const addresses = unsymbolizedAddresses(profile);
  if (addresses.length === 0) {
    process.stderr.write(
      `golens: ${path} already names its functions; --binary ${binary} is not needed\n`,
    );
    return profile;
  }
  let symbols;
  try {
    symbols = await addr2line(binary, addresses);
  } catch (e) {
    if (e instanceof SymbolizeError) throw new CliError(e.message);
    throw e;
  }
  const { profile: out, symbolized } = applySymbols(profile, symbols, binary);
  if (symbolized === 0) {
    throw new CliError(
      `none of the ${addresses.length} addresses of ${path} is in ${binary}: is it the executable that wrote the profile (the same build)?`,
    );
  }
  if (symbolized < addresses.length) {
    process.stderr.write(
      `golens: ${addresses.length - symbolized} of ${addresses.length} addresses are not in ${binary} (other libraries, or another build); they keep their addresses\n`,
    );
  }
  return out;
}
