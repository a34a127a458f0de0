import { Command, CommanderError } from 'commander';
import { registerAdminCommands } from './admin-commands.js';
import { publicBrands, publicTemplates } from '../assets/index.js';
import { toContractTemplate } from '../engine/model/contract.js';
import { EXIT, toExit } from './errors.js';
import { batchCommand } from './batch/command.js';
import { generateCommand } from './generate-command.js';
import { renderCommand } from './render-command.js';
import { serveCommand } from './serve-command.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function buildProgram(): Command {
  const program = new Command('adsmith')
    .description('Adsmith: many ads in many sizes from one template and one brand.')
    .exitOverride()
    .showHelpAfterError();

  program
    .command('render')
    .description('Render every scene of a template locally (no server needed).')
    .requiredOption('-t, --template <id|path>', 'public template id (1061, 1062) or a template JSON file')
    .option('-b, --brand <id|path>', 'public brand id (167, 166, 122, 121, 120) or a brand JSON file')
    .option('-s, --set <slot=value>', 'fill a slot in every scene ("Heading #1=Summer sale", "Image #1=./photo.jpg") or one element ("id:s1-heading=…"); repeatable', collect, [])
    .option('-o, --out <dir>', 'output folder', './ads')
    .option('-f, --format <png|jpeg|webp>', 'output format', 'png')
    .option('--scale <1|2>', 'pixel density (2 for retina)', '1')
    .option('--max-kb <n>', 'largest file size in KB; picks the best quality under it')
    .option('--png-mode <fast|balanced|small>', 'PNG encoder: fast (default), balanced (about half the size, several times slower) or small', 'fast')
    .option('--json', 'print the written files as JSON (for scripts)')
    .option('-q, --quiet', 'no progress output')
    .action(renderCommand);

  program
    .command('generate')
    .description('Generate every scene of a template on an Adsmith server (--server, ADSMITH_SERVER; default http://localhost:8080) and save them.')
    .requiredOption('-t, --template <id>', 'template id (public 1061, 1062, or one of yours)')
    .option('-b, --brand <id>', 'brand id (public 167, 166, 122, 121, 120, or one of yours)')
    .option('-s, --set <slot=value>', 'fill a slot ("Heading #1=Summer sale", "Image #1=./photo.jpg") or one element ("id:s1-heading=…"); local images are uploaded; repeatable', collect, [])
    .option('--image <path|url>', 'product photo for the smart image (uploaded when local)')
    .option('--operation <name>', 'smart image operation: lifestyle_shot_by_text or expand_image')
    .option('--prompt <text>', 'smart image prompt, e.g. "on a marble kitchen counter"')
    .option('-o, --out <dir>', 'output folder', './ads')
    .option('-f, --format <png|jpeg|webp>', 'output format', 'png')
    .option('--scale <1|2>', 'pixel density (2 for retina)', '1')
    .option('--max-kb <n>', 'largest file size in KB; the server picks the best quality under it')
    .option('--webhook <url>', 'POSTed (signed) when the job is final')
    .option('--no-wait', 'print the job id and scene URLs at once instead of waiting and saving')
    .option('--moderate', 'content moderation of inputs and outputs')
    .option('--server <url>', 'Adsmith server URL (env ADSMITH_SERVER; default http://localhost:8080)')
    .option('--token <token>', 'API token (env ADSMITH_TOKEN)')
    .option('--json', 'print the result as JSON (for scripts)')
    .option('-q, --quiet', 'no progress output')
    .action(generateCommand);

  program
    .command('batch')
    .description('One template × every row of a CSV: a folder of scenes per row and a manifest. Resumable. Without --server (or ADSMITH_SERVER), runs an embedded server with its data in <out>/.adsmith.')
    .requiredOption('-t, --template <id>', 'template id (public 1061, 1062, or one of yours)')
    .option('-b, --brand <id>', 'brand id')
    .requiredOption('-r, --rows <file.csv>', 'CSV with a header: slot columns ("Heading #1", "Image #1"), id:<element>, image (or smart_image), operation, prompt, key')
    .option('-o, --out <dir>', 'output folder: <out>/<key>/… per row, <out>/manifest.json', './ads')
    .option('-s, --set <slot=value>', 'content for every row (a row\'s own cell wins); repeatable', collect, [])
    .option('--image <path|url>', 'smart-image product photo for rows without an image cell')
    .option('--operation <name>', 'smart image operation for every row: lifestyle_shot_by_text or expand_image')
    .option('--prompt <text>', 'smart image prompt for every row')
    .option('-f, --format <png|jpeg|webp>', 'output format', 'png')
    .option('--scale <1|2>', 'pixel density (2 for retina)', '1')
    .option('--max-kb <n>', 'largest file size in KB')
    .option('--moderate', 'content moderation of inputs and outputs')
    .option('--webhook <url>', 'POSTed (signed) when the batch is final')
    .option('--server <url>', 'Adsmith server URL (env ADSMITH_SERVER); none: embedded server')
    .option('--token <token>', 'API token (env ADSMITH_TOKEN); not needed with the embedded server')
    .option('--json', 'print the manifest rows as JSON')
    .option('-q, --quiet', 'no progress output')
    .action(batchCommand);

  program
    .command('templates')
    .description('List the available templates.')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      const rows = publicTemplates().map((t) => ({
        id: t.id,
        name: t.name,
        requires_brand: t.requires_brand,
        scenes: t.scenes.map((s) => `${s.name}`),
        slots: Object.values(toContractTemplate(t)).flatMap((v) => (Array.isArray(v) ? v.map((e) => e.content_type) : [])),
      }));
      if (opts.json) return void process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      for (const r of rows) {
        process.stdout.write(`${r.id}  ${r.name}${r.requires_brand ? '  (needs --brand)' : ''}\n`);
        process.stdout.write(`      scenes: ${r.scenes.join(', ')}\n`);
        process.stdout.write(`      slots:  ${[...new Set(r.slots.filter(Boolean))].sort().join(', ')}\n`);
      }
    });

  program
    .command('brands')
    .description('List the available brands.')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      const rows = publicBrands().map((b) => ({ id: b.id, name: b.name, description: b.description, colors: b.colors, fonts: { heading: b.fonts.heading.family, body: b.fonts.body.family } }));
      if (opts.json) return void process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      for (const r of rows) process.stdout.write(`${r.id}  ${r.name.padEnd(18)} ${r.fonts.heading} / ${r.fonts.body}  ${Object.values(r.colors).join(' ')}\n`);
    });

  program
    .command('serve')
    .description('Run the API server (as `npm start`), configured by the environment (ADSMITH_DATABASE_URL, ADSMITH_REDIS_URL, ADSMITH_S3_*; see the README).')
    .option('--role <api|worker|all>', 'api: HTTP only, jobs go to the queue; worker: renders from the queue, no HTTP; all: both (default, or ADSMITH_ROLE)')
    .option('--port <n>', 'port to listen on (default PORT or 8080; 0 picks a free one)')
    .action(serveCommand);

  // Server administration: organisations and tokens (`adsmith org create --name acme --plan pro`).
  registerAdminCommands(program);

  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.input;
    const { message, code } = toExit(err);
    process.stderr.write(`adsmith: ${message}\n`);
    return code;
  }
}

process.exitCode = await main(process.argv.slice(2));
