// Race detector reports: find them in any text, read every access, goroutine, mutex and
// location, and fold repeats into distinct races. Pure: no Node, DOM or vscode APIs.
export * from './model';
export { RaceReportParser, parseRaceReports, type RaceEvent, type RaceParseResult } from './parse';
export {
  RaceSet,
  RaceTally,
  accessSite,
  isRuntimeFrame,
  raceKey,
  siteKey,
  type DistinctRace,
} from './dedupe';
export {
  racesJson,
  raceJson,
  describeRace,
  goroutineName,
  accessKindText,
  siteName,
  locationText,
  type RaceJson,
  type RacesJson,
  type FrameJson,
} from './describe';
export { mergeGorace } from './gorace';
export { sideBySide, sideBySideText, type SideBySide, type SideBySideRow } from './side-by-side';
