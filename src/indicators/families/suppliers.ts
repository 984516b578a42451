/** Local suppliers and micro-enterprises (METHODOLOGY.md, section 5). SQL: models/figures/fig_suppliers.sql. */
import type { IndicatorFamily } from '../family.ts';

const PARAMS = ['suppliers.local_radius_km', 'km.earth_radius_km'];

export const suppliersFamily: IndicatorFamily = {
  id: 'suppliers',
  label: { fr: 'Fournisseurs locaux', en: 'Local suppliers' },
  scopes: ['network', 'region', 'department', 'cafe', 'model', 'stage'],
  suppression: 'none',
  indicators: [
    {
      id: 'suppliers.local_micro',
      unit: 'suppliers',
      label: { fr: 'Micro-entreprises locales', en: 'Local micro-enterprises' },
      definition: {
        fr: 'Micro-entreprises distinctes (SIREN, forme juridique micro) avec lesquelles les cafés ont travaillé sur la période, situées dans le rayon local d’un café qu’elles fournissent.',
        en: 'Distinct micro-enterprises (SIREN, legal form micro) worked with in the period and located within the local radius of a café they supply.',
      },
      formula: {
        fr: 'count(distinct siren) où legal_form = micro et haversine(fournisseur, café) ≤ local_radius_km ; position du fournisseur = ses coordonnées, sinon le centroïde de sa commune',
        en: 'count(distinct siren) where legal_form = micro and haversine(supplier, café) ≤ local_radius_km; supplier position = its coordinates, else its commune centroid',
      },
      parameters: PARAMS,
      detail: 'mart_suppliers',
      headline: 8,
    },
    {
      id: 'suppliers.local_micro.spend_eur',
      unit: 'EUR',
      label: { fr: 'Achats aux micro-entreprises locales', en: 'Spend with local micro-enterprises' },
      definition: {
        fr: 'Montant des achats à ces micro-entreprises locales, là où les fichiers le donnent.',
        en: 'Spend with those local micro-enterprises, where the file gives it.',
      },
      formula: { fr: 'Σ spend_eur sur les fournisseurs micro locaux', en: 'Σ spend_eur over local micro suppliers' },
      parameters: PARAMS,
      detail: 'mart_suppliers',
    },
    {
      id: 'suppliers.local',
      unit: 'suppliers',
      label: { fr: 'Fournisseurs locaux (toutes formes)', en: 'Local suppliers (any legal form)' },
      definition: { fr: 'Fournisseurs locaux distincts, de toute forme juridique.', en: 'Distinct local suppliers of any legal form.' },
      formula: { fr: 'count(distinct siren) où haversine(fournisseur, café) ≤ local_radius_km', en: 'count(distinct siren) where haversine(supplier, café) ≤ local_radius_km' },
      parameters: PARAMS,
      detail: 'mart_suppliers',
    },
  ],
  explain: { kind: 'scopes' },
};
