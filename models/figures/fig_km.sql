-- Kilometres saved per service and in total, and the network's Earth laps (family km,
-- src/indicators/families/km.ts). Exact decimal sums; one division for earth_laps.
-- grain: one row per indicator × scope × scope_id
-- check not_null: indicator, scope
-- check unique: indicator, scope, scope_id
with km as (
    select s.scope, s.scope_id, s.scope_label, k.service, k.km
    from mart_km_saved k join int_cafe_scopes s on s.cafe_id = k.cafe_id
    where k.km is not null
)
select 'km_saved' as indicator, scope, scope_id, scope_label, sum(km) as value, null::BIGINT as people from km group by all
union all
select 'km_saved.' || service, scope, scope_id, scope_label, sum(km), null from km group by all
union all
select 'km_saved', 'service', service, service, sum(km), null from km where scope = 'network' group by service
union all
select 'earth_laps', 'network', null, null, sum(km) / CAST({{earth_circumference_km}} AS DECIMAL(12, 3)), null
from km where scope = 'network' having count(*) > 0
