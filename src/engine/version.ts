/** Engine version: part of every cache key, so a new engine never serves an old engine's SVG. Bump on any output change. */
export const ENGINE_VERSION = '0.3.0';
