import type { Command } from 'commander';
export function registerReference(_program: Command): void {}
