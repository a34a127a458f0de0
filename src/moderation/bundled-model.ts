/**
 * nsfwjs's bundled models, evaluated directly instead of through nsfwjs's own `import()`.
 *
 * The package ships each model as UMD `.min.js` files (the topology as one big object
 * literal, the weights as base64 strings). nsfwjs loads them with dynamic `import()`;
 * Node's ESM loader translating those CommonJS files cost ~350 MB of resident memory
 * for the 106 KB MobileNetV2 topology file alone (measured: RSS 46 → 410 MB, kept after
 * GC), and under tsx (how `npm start` runs) even `require` sends the 3.5 MB weights file
 * through its transform hooks. So each file is read and run with `vm.compileFunction`
 * (it only assigns `module.exports`), bypassing every loader, and nothing is cached.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';
import type { ModelDefinition, ModelName } from 'nsfwjs/core';

const require = createRequire(import.meta.url);

/** Folder names and shard counts, as in nsfwjs's dist/models (and its model definitions). */
const BUNDLES: Record<ModelName, { dir: string; shards: number; options?: ModelDefinition['options'] }> = {
  MobileNetV2: { dir: 'mobilenet_v2', shards: 1 },
  MobileNetV2Mid: { dir: 'mobilenet_v2_mid', shards: 2, options: { type: 'graph' } },
  InceptionV3: { dir: 'inception_v3', shards: 6, options: { size: 299 } },
};

/** dist/models of the installed nsfwjs (its package exports hide package.json, so from the CJS entry). */
export function nsfwModelsDir(): string {
  return join(dirname(require.resolve('nsfwjs')), '..', 'models');
}

/** Run a UMD bundle file and answer what it assigns to `module.exports`. */
export function runUmd(file: string): unknown {
  const module = { exports: {} as unknown };
  // The browserify prelude only falls back to `require` for modules it lacks: none here.
  compileFunction(readFileSync(file, 'utf8'), ['module', 'exports', 'require'], { filename: file })(module, module.exports, undefined);
  return module.exports;
}

/** A model definition for nsfwjs/core `load` that reads the bundled files directly. */
export function bundledModel(name: ModelName, modelsDir = nsfwModelsDir()): ModelDefinition {
  const b = BUNDLES[name];
  const files = [join(modelsDir, b.dir, 'model.min.js'), ...Array.from({ length: b.shards }, (_, i) => join(modelsDir, b.dir, `group1-shard${i + 1}of${b.shards}.min.js`))];
  const [modelFile, ...shardFiles] = files as [string, ...string[]];
  return {
    name,
    numOfWeightBundles: b.shards,
    ...(b.options ? { options: b.options } : {}),
    modelJson: async () => ({ default: runUmd(modelFile) as Awaited<ReturnType<ModelDefinition['modelJson']>>['default'] }),
    weightBundles: shardFiles.map((f) => async () => {
      const base64 = runUmd(f);
      if (typeof base64 !== 'string') throw new Error(`${f} does not hold base64 weights`);
      return { default: base64 };
    }),
  };
}
