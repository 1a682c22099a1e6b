// The validity check of a decoded Profile, in the spirit of pprof's Profile.CheckValid. The proto's
// own id rules (ids nonzero and unique, every id reference resolves) are enforced while decoding,
// because ids are replaced by indexes there; this checks what the model then promises: every index
// is in range, the ranges nest, and each sample has one value per sample type.
import { ProfileError, type Profile } from './model';

function fail(detail: string): never {
  throw new ProfileError(`malformed profile: ${detail}`);
}

/**
 * Throws ProfileError unless `p` satisfies every invariant documented in model.ts. decodeProfile
 * runs it on every profile it returns; code that builds or edits a Profile can run it too.
 */
export function checkProfile(p: Profile): void {
  const nTypes = p.sampleTypes.length;
  const s = p.samples;
  if (nTypes === 0 && s.count > 0) fail(`the profile has ${s.count} samples but no sample types`);
  if (nTypes > 0 && !(p.defaultSampleType >= 0 && p.defaultSampleType < nTypes)) {
    fail(`the default sample type ${p.defaultSampleType} is not one of the ${nTypes} sample types`);
  }
  if (s.values.length !== s.count * nTypes) {
    fail(`there are ${s.values.length} sample values for ${s.count} samples of ${nTypes} types`);
  }
  if (s.stackStart.length !== s.count + 1 || s.labelStart.length !== s.count + 1)
    fail('the sample table has the wrong number of stack or label offsets');
  if (s.stackStart[0] !== 0 || s.stackStart[s.count] !== s.stackLocations.length)
    fail('sample stacks do not cover the stack table');
  if (s.labelStart[0] !== 0 || s.labelStart[s.count] !== s.labelKey.length)
    fail('sample labels do not cover the label table');
  for (let i = 0; i < s.count; i++) {
    if (s.stackStart[i] > s.stackStart[i + 1]) fail(`sample ${i} has a negative stack length`);
    if (s.labelStart[i] > s.labelStart[i + 1]) fail(`sample ${i} has a negative label count`);
  }
  const nLoc = p.locations.count;
  const stack = s.stackLocations;
  for (let i = 0; i < stack.length; i++)
    if (stack[i] >= nLoc) fail(`a sample refers to location ${stack[i]}, but there are ${nLoc}`);
  const nStr = p.strings.length;
  const nLab = s.labelKey.length;
  if (s.labelStr.length !== nLab || s.labelNum.length !== nLab || s.labelNumUnit.length !== nLab)
    fail('the label columns differ in length');
  for (let i = 0; i < nLab; i++) {
    if (s.labelKey[i] >= nStr || s.labelStr[i] >= nStr || s.labelNumUnit[i] >= nStr)
      fail(`label ${i} refers to a string beyond the string table`);
  }

  const loc = p.locations;
  const nFrames = p.frames.count;
  const nMap = p.mappings.count;
  for (let i = 0; i < nLoc; i++) {
    const m = loc.mapping[i];
    if (m < -1 || m >= nMap) fail(`location ${i} refers to mapping ${m}, but there are ${nMap}`);
    if (loc.firstFrame[i] + loc.frameCount[i] > nFrames)
      fail(`location ${i} has frames beyond the frame table`);
  }
  const nFn = p.functions.count;
  const fr = p.frames.function;
  if (fr.length !== nFrames || p.frames.line.length !== nFrames)
    fail('the frame columns differ in length');
  for (let i = 0; i < nFrames; i++)
    if (fr[i] < -1 || fr[i] >= nFn)
      fail(`frame ${i} refers to function ${fr[i]}, but there are ${nFn}`);
  const f = p.functions;
  if (
    f.name.length !== nFn ||
    f.systemName.length !== nFn ||
    f.filename.length !== nFn ||
    f.startLine.length !== nFn
  )
    fail('the function columns differ in length');
  if (nStr === 0 || p.strings[0] !== '')
    fail("the string table's first entry must be the empty string");
}
