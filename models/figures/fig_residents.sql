-- Residents mobilised: distinct residents taking part in co-construction (family residents,
-- src/indicators/families/residents.ts). `people` is the count itself.
-- grain: one row per indicator × scope × scope_id
-- check not_null: indicator, scope, people
-- check unique: indicator, scope, scope_id
select 'residents.mobilised' as indicator, s.scope, s.scope_id, s.scope_label,
    count(distinct p.person_key) as value, count(distinct p.person_key) as people
from stg_participation p join int_cafe_scopes s on s.cafe_id = p.cafe_id
where p.role = 'resident'
group by all
