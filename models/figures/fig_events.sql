-- Events, their attendance and the associations and producers involved (family events,
-- src/indicators/families/events.ts). Attendances are a sum, not distinct people: `people` is null.
-- grain: one row per indicator × scope × scope_id
-- check not_null: indicator, scope
-- check unique: indicator, scope, scope_id
with events as (
    select s.scope, s.scope_id, s.scope_label, e.*
    from stg_events e join int_cafe_scopes s on s.cafe_id = e.cafe_id
    union all
    select 'programme', e.programme, e.programme, e.*
    from stg_events e
)
select 'events.count' as indicator, scope, scope_id, scope_label, count(*) as value, null::BIGINT as people from events group by all
union all
select 'events.attendance', scope, scope_id, scope_label, sum(attendance), null from events group by all
union all
select 'events.associations', scope, scope_id, scope_label, count(distinct a) filter (where a is not null), null
from (select scope, scope_id, scope_label, unnest(case when len(association_ids) = 0 then [null] else association_ids end) as a from events) group by all
union all
select 'events.producers', scope, scope_id, scope_label, count(distinct p) filter (where p is not null), null
from (select scope, scope_id, scope_label, unnest(case when len(producer_ids) = 0 then [null] else producer_ids end) as p from events) group by all
