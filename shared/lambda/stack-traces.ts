/**
 * Stack traces in the terms of the sources, for a function's bundle, paid for only when an error's stack is
 * read. A bundle is minified, so its own frames say nothing; Node's `--enable-source-maps` maps them, but
 * reads and parses the source map at every cold start (8–24 ms on this machine, docs/cold-start.md), errors
 * or not. Here the map beside the bundle (build/lambda-bundle.ts) is read the first time a stack is
 * formatted (55–72 ms for the provisioner's, once per container; 16 MB of heap kept) and each of the bundle's
 * frames is rewritten to its source, as Node's own option would write it, with Node's own source-map reader
 * (node:module `SourceMap`):
 *
 *   at cM (file:///var/task/index.mjs:58:78567)  →  at parseEnv (shared/config/env.ts:33:9)
 *
 * Frames of other files are V8's own, and so is everything when there is no map beside the module (code run
 * from source: the CLI, the local stack, tests).
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The smallest function (MB) that maps its stacks: reading a worker's map takes about 35 MB more for a
 * moment, on top of the 75 MB a worker holds once it has run; a 128 MB function keeps V8's frames instead.
 */
const MIN_MEMORY_MB = 256;

/**
 * From now on, the stack of every error maps the frames of the bundle this module is part of, when that
 * bundle's source map (`<bundle>.map`) is beside it and the function has the memory for it (MIN_MEMORY_MB);
 * otherwise it changes nothing. Returns whether it maps.
 */
export function mapStackTracesToSources(
  moduleUrl: string = import.meta.url,
  env: Record<string, string | undefined> = process.env,
): boolean {
  const mapFile = `${fileURLToPath(moduleUrl)}.map`;
  const memoryMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? Number.POSITIVE_INFINITY); // unset off Lambda
  if (!existsSync(mapFile) || memoryMb < MIN_MEMORY_MB) return false;
  let sourceMap: SourceMap | null | undefined;
  const loadSourceMap = () => {
    try {
      return new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
    } catch {
      return null; // an unreadable map leaves the frames as V8 gives them
    }
  };
  Error.prepareStackTrace = (error: unknown, callSites: NodeJS.CallSite[]) => {
    const frames = callSites.map((site, index) => {
      if (site.getFileName() !== moduleUrl) return `    at ${site}`;
      sourceMap ??= loadSourceMap();
      return (sourceMap && sourceFrame(sourceMap, callSites, index)) ?? `    at ${site}`;
    });
    return [errorHeader(error), ...frames].join('\n');
  };
  return true;
}

/** The first line of a stack: the error as it prints itself (`Name: message`), as V8 starts it. */
function errorHeader(error: unknown): string {
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

/** The frame at `index` as its source has it, or undefined when the map has no source for it. */
function sourceFrame(sourceMap: SourceMap, callSites: NodeJS.CallSite[], index: number): string | undefined {
  const site = callSites[index] as NodeJS.CallSite;
  const origin = originAt(sourceMap, site.getLineNumber(), site.getColumnNumber());
  if (!origin) return undefined;
  const name = originalName(sourceMap, callSites, index) ?? site.getFunctionName() ?? '<anonymous>';
  const prefix = site.isAsync() ? 'async ' : site.isConstructor() ? 'new ' : '';
  return `    at ${prefix}${name} (${origin.fileName}:${origin.lineNumber}:${origin.columnNumber})`;
}

/**
 * The function's name in the source: the name the map gives the function's own start, or else the name at its
 * caller's call site (how Node's --enable-source-maps names frames, lib/internal/source_map/prepare_stack_trace.js).
 */
function originalName(sourceMap: SourceMap, callSites: NodeJS.CallSite[], index: number): string | undefined {
  const site = callSites[index] as NodeJS.CallSite;
  const enclosing = originAt(sourceMap, site.getEnclosingLineNumber(), site.getEnclosingColumnNumber());
  if (enclosing?.name) return enclosing.name;
  const caller = callSites[index + 1];
  if (!caller || caller.getFileName() !== site.getFileName()) return undefined;
  return originAt(sourceMap, caller.getLineNumber(), caller.getColumnNumber())?.name;
}

/** Where a 1-based line and column of the bundle, as V8 gives them, come from; undefined where the map says nothing. */
function originAt(sourceMap: SourceMap, line: number | null, column: number | null) {
  if (line === null || column === null) return undefined;
  const origin = sourceMap.findOrigin(line, column);
  return 'fileName' in origin ? origin : undefined;
}
