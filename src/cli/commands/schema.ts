/** `cafe-impact schema [dataset]`: the data contract. */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.ts';
import { usage } from '../../core/messages.ts';
import { out } from '../shared.ts';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('the data contract: every dataset\'s columns, types and rules')
    .argument('[dataset]')
    .option('--markdown', 'Markdown (the only format; kept for `npm run dictionary`)')
    .action(async (dataset?: string) => {
      const [{ DATASETS }, { dictionaryMarkdown }] = await Promise.all([import('../../contract/datasets.ts'), import('../../contract/dictionary.ts')]);
      if (dataset && !DATASETS[dataset]) throw new UserError(usage.unknownDataset(dataset, Object.keys(DATASETS)));
      out(dictionaryMarkdown(dataset).trimEnd());
    });
}
