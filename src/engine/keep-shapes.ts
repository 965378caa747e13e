/**
 * Keeps the hidden classes of the engine's hot objects alive between calls.
 *
 * V8's optimised code checks the hidden class ("map") of the objects it
 * reads. A class instance's map is reachable only through the weak
 * transitions from its constructor's initial map, so once no instance is
 * alive, a full garbage collection between two conversions frees the map
 * and deoptimises every optimised function that checked it (`--trace-deopt`
 * reason "weak objects"); the next conversion then runs those functions in
 * the interpreter until they are optimised again, several times slower
 * (a 316 px emoji: 3-7x the warm time). One small template instance per hot
 * class, built when its module loads and never read, keeps its map alive.
 * No data passes between calls: output does not depend on the templates.
 */
const templates: object[] = [];

/** Holds `template` for the life of the engine; returns it. */
export function keepShape<T extends object>(template: T): T {
  templates.push(template);
  return template;
}

/** How many templates are held (for tests). */
export function keptShapes(): number {
  return templates.length;
}
