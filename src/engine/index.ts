/** The engine's public API. Pure TypeScript: no DOM, no Node. */
export {
  vectorize,
  vectorizeAsync,
  vectorizeSteps,
  validateRaster,
  EngineInputError,
  EngineAbortError,
} from './pipeline.js';
export type { RunOptions } from './pipeline.js';
export {
  resolveOptions,
  EngineOptionError,
  PRESETS,
  PRESET_NAMES,
  DEFAULTS,
  parseHexColor,
  UNITS,
} from './options.js';
export type {
  VectorizeOptions,
  ResolvedOptions,
  Mode,
  Layering,
  PresetName,
  ThresholdSetting,
  Units,
} from './options.js';
export { qualitySettings } from './quality-dial.js';
export type { QualitySettings } from './quality-dial.js';
export { svgHeader, toUnits } from './svg-document.js';
export type { Raster, Layer, VectorizeResult, VectorizeStats, PipelineEvent, TraceEvent } from './types.js';
export { ENGINE_VERSION } from './version.js';
export {
  OUTPUT_FORMATS,
  FORMAT_INFO,
  isOutputFormat,
  convertSvg,
  readSvgDocument,
  parsePathData,
  flattenSubpath,
  writePdf,
  writeEps,
  writeDxf,
  DocumentError,
  PathDataError,
} from './formats/index.js';
export type { OutputFormat, VectorDocument, DrawItem, Paint, Segment, Subpath } from './formats/index.js';
