/** `--lang fr|en`: the language of what a command prints for people (French by default). */
import { Option } from 'commander';
import type { Lang } from '../core/vocabulary.ts';

export const langOption = () => new Option('--lang <lang>', 'language of the output for people').choices(['fr', 'en']).default('fr');
export type { Lang };
