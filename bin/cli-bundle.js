// The CLI's bundle: src/cli/main.ts and the sources it imports, built by esbuild into one ESM entry
// plus chunks under node_modules/.cache/relay-cli/<key>/. Run through tsx, every CLI start paid for
// tsx's loader hooks on each of the hundreds of modules it loads and for compiling our TypeScript;
// the bundle loads our code as a few files and the packages (kept external) straight from
// node_modules, as the server loads them.
//
// <key> is a hash of the path, mtime and size of every file under src/ and templates/ plus the build
// settings (package.json, tsconfig.json, this file, esbuild's version): a changed source gives a new
// key, hence a new build on the next run, and checking costs a few milliseconds of stat calls. A build
// goes to a temporary folder renamed into place, so runs that build at once (parallel test files)
// never see half a bundle: the first rename wins and the others use it.
// Node built-ins only until a build is needed: it runs before anything else on every CLI start.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const launcher = fileURLToPath(import.meta.url);
const defaultRoot = dirname(dirname(launcher));
/** Sources the bundle is built from; anything the CLI imports must live under one of them. */
const SOURCE_DIRS = ['src', 'templates'];
/** Build settings read from the project besides the sources. */
const SETTINGS_FILES = ['package.json', 'tsconfig.json'];
/** Where the bundles are kept (and, on Node 22+, the CLI's compile cache: bin/relay.js). */
export const CACHE_DIR = join(defaultRoot, 'node_modules', '.cache', 'relay-cli');
/** Bundles of older sources are removed after an hour (a run started before the change may still load its chunks). */
const KEEP_OLD_MS = 60 * 60 * 1000;

/**
 * The bundle's entry (a file URL) for the sources as they are now, built first when they changed.
 * Throws when it cannot be built; the caller then runs the sources through tsx.
 * @param {{ root?: string, cacheDir?: string }} [options]
 * @returns {Promise<string>}
 */
export async function cliBundle({ root = defaultRoot, cacheDir = CACHE_DIR } = {}) {
  const dir = join(cacheDir, sourcesKey(root));
  const entry = join(dir, 'main.mjs');
  if (!existsSync(entry)) await buildInto(root, dir);
  return pathToFileURL(entry).href;
}

/** @param {string} root */
function sourcesKey(root) {
  const hash = createHash('sha256');
  const add = (/** @type {string} */ path) => {
    const s = statSync(path, { throwIfNoEntry: false });
    hash.update(`${relative(root, path)}\0${s ? `${s.mtimeMs}\0${s.size}` : '-'}\n`);
  };
  for (const dir of SOURCE_DIRS) walk(join(root, dir), add);
  for (const file of SETTINGS_FILES) add(join(root, file));
  add(launcher);
  add(join(defaultRoot, 'node_modules', 'esbuild', 'package.json'));
  return hash.digest('hex').slice(0, 16);
}

/**
 * @param {string} dir
 * @param {(path: string) => void} visit
 */
function walk(dir, visit) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) walk(path, visit);
    else visit(path);
  }
}

/**
 * @param {string} root
 * @param {string} dir
 */
async function buildInto(root, dir) {
  const { build } = await import('esbuild');
  const building = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
  // Where the bundle really is: Node gives a module the URL of its real path, so a symlinked
  // node_modules would otherwise put its sources' URLs next to the link's target.
  mkdirSync(dirname(dir), { recursive: true });
  const realDir = join(realpathSync(dirname(dir)), basename(dir));
  const escaped = root.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: { main: join(root, 'src', 'cli', 'main.ts') },
      outdir: building,
      outExtension: { '.js': '.mjs' },
      chunkNames: '[name]-[hash]',
      bundle: true,
      // main.ts imports the store and the commands only for a good command line: they stay separate
      // chunks, so --help and a wrong option load nothing but usage.ts (as with tsx).
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20.19',
      // Every package is loaded from node_modules at run time, exactly as from the sources: the bundle
      // depends on our files only (an `npm ci` needs no rebuild), and nothing a package finds next
      // to itself moves.
      packages: 'external',
      // As tsx: functions and classes keep their names (error names, stack traces).
      keepNames: true,
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
      metafile: true,
      plugins: [
        {
          name: 'relay-source-urls',
          setup(b) {
            // A module that finds files next to itself (import.meta.url: the Java launcher, the launcher
            // cache, package.json for --version) gets its own source file's URL, expressed relative to
            // the bundle so the checkout can move. Any other use of import.meta fails the build.
            b.onLoad({ filter: new RegExp(`^${escaped}[\\\\/](src|templates)[\\\\/].*\\.tsx?$`) }, async (args) => {
              let contents = await readFile(args.path, 'utf8');
              if (contents.includes('import.meta')) {
                const fromBundle = relative(realDir, args.path).split(sep).join('/');
                contents = contents.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`);
                if (/\bimport\.meta\b(?!\.url\b)/.test(contents.replace(/new URL\("[^"]*", import\.meta\.url\)/g, ''))) {
                  throw new Error(`${relative(root, args.path)}: only import.meta.url is supported in the CLI bundle (bin/cli-bundle.js)`);
                }
              }
              return { contents, loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts' };
            });
          },
        },
      ],
    });
    const outside = Object.keys(result.metafile.inputs).filter((p) => !SOURCE_DIRS.some((d) => p.startsWith(`${d}/`)));
    if (outside.length > 0) throw new Error(`the CLI imports files outside ${SOURCE_DIRS.join('/, ')}/, which the bundle's key does not cover: ${outside.join(', ')}`);
    try {
      renameSync(building, dir);
    } catch (err) {
      // Another run built the same sources first: use its bundle.
      if (!existsSync(join(dir, 'main.mjs'))) throw err;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  removeOldBundles(dirname(dir), dir);
}

/**
 * @param {string} cacheDir
 * @param {string} current
 */
function removeOldBundles(cacheDir, current) {
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    // Bundles and the folders of builds that never finished: <key> and <key>.<pid>.<random>.
    if (path === current || !/^[0-9a-f]{16}(\.|$)/.test(name)) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > KEEP_OLD_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another run meanwhile.
    }
  }
}
