-- Local suppliers, local micro-enterprises and the spend with them (family suppliers,
-- src/indicators/families/suppliers.ts). Businesses, not people: `people` is null.
-- grain: one row per indicator × scope × scope_id
-- check not_null: indicator, scope
-- check unique: indicator, scope, scope_id
with suppliers as (
    select s.scope, s.scope_id, s.scope_label, m.siren, m.legal_form, m.local, m.spend_eur
    from mart_suppliers m join int_cafe_scopes s on s.cafe_id = m.cafe_id
)
select 'suppliers.local_micro' as indicator, scope, scope_id, scope_label,
    count(distinct siren) filter (where local and legal_form = 'micro') as value, null::BIGINT as people
from suppliers group by all
union all
select 'suppliers.local_micro.spend_eur', scope, scope_id, scope_label,
    sum(spend_eur) filter (where local and legal_form = 'micro'), null
from suppliers group by all having count(spend_eur) filter (where local and legal_form = 'micro') > 0
union all
select 'suppliers.local', scope, scope_id, scope_label, count(distinct siren) filter (where local), null
from suppliers group by all
