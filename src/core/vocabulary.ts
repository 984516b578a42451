/**
 * The words every layer shares: the scopes figures are published for, and the languages the
 * outputs for people speak (a text in each).
 */

/** Scopes of a figure: the network, its geography, its breakdowns. */
export const SCOPES = ['network', 'region', 'department', 'cafe', 'model', 'stage', 'service', 'contract', 'programme', 'commune'] as const;
export type Scope = (typeof SCOPES)[number];

/** A text for people, in each language the outputs speak. */
export interface Text {
  fr: string;
  en: string;
}

export type Lang = keyof Text;
export const LANGS: readonly Lang[] = ['fr', 'en'];
