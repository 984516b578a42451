-- Every figure of the period, one row per indicator × scope. Sums are exact (integers, decimals);
-- the few divisions (earth_laps, jobs.fte) are one floating-point operation on an exact sum, so a
-- figure is the same to the last bit on every run.
-- Primary suppression: counts of people under {{min_cell}} outside the network total are
-- suppressed (value null). The published figures are the TypeScript model mart_figures
-- (src/figures/mart-figures.ts), which adds the complementary suppression; this table still
-- holds the complements' values, so it must never be published itself.
-- grain: one row per indicator × scope × scope_id
-- check not_null: indicator, scope, unit, suppressed
-- check unique: indicator, scope, scope_id
-- check expression: suppressed OR value IS NOT NULL
-- check expression: value IS NULL OR value >= 0
with km as (
    select s.scope, s.scope_id, s.scope_label, k.service, k.km
    from mart_km_saved k join int_cafe_scopes s on s.cafe_id = k.cafe_id
    where k.km is not null
),
km_figures as (
    select 'km_saved' as indicator, scope, scope_id, scope_label, sum(km) as value, 'km' as unit from km group by all
    union all
    select 'km_saved.' || service, scope, scope_id, scope_label, sum(km), 'km' from km group by all
    union all
    select 'km_saved', 'service', service, service, sum(km), 'km' from km where scope = 'network' group by service
    union all
    select 'earth_laps', 'network', null, null, sum(km) / CAST({{earth_circumference_km}} AS DECIMAL(12, 3)), 'laps'
    from km where scope = 'network' having count(*) > 0
),
jobs as (
    select s.scope, s.scope_id, s.scope_label, j.person_key, j.contract, j.fte_days
    from mart_jobs j join int_cafe_scopes s on s.cafe_id = j.cafe_id
),
jobs_by_scope as (
    select scope, scope_id, scope_label, count(distinct person_key) as headcount, sum(fte_days) / {{days}} as fte
    from jobs group by all
    union all
    select 'contract', contract, contract, count(distinct person_key), sum(fte_days) / {{days}}
    from jobs where scope = 'network' group by contract
),
job_figures as (
    select 'jobs.headcount' as indicator, scope, scope_id, scope_label, headcount as value, 'people' as unit, headcount as people from jobs_by_scope
    union all
    select 'jobs.fte', scope, scope_id, scope_label, fte, 'fte', headcount from jobs_by_scope
),
residents as (
    select s.scope, s.scope_id, s.scope_label, count(distinct p.person_key) as n
    from stg_participation p join int_cafe_scopes s on s.cafe_id = p.cafe_id
    where p.role = 'resident'
    group by all
),
suppliers as (
    select s.scope, s.scope_id, s.scope_label, m.siren, m.legal_form, m.local, m.spend_eur
    from mart_suppliers m join int_cafe_scopes s on s.cafe_id = m.cafe_id
),
supplier_figures as (
    select 'suppliers.local_micro' as indicator, scope, scope_id, scope_label,
        count(distinct siren) filter (where local and legal_form = 'micro') as value, 'suppliers' as unit
    from suppliers group by all
    union all
    select 'suppliers.local_micro.spend_eur', scope, scope_id, scope_label,
        sum(spend_eur) filter (where local and legal_form = 'micro'), 'EUR'
    from suppliers group by all having count(spend_eur) filter (where local and legal_form = 'micro') > 0
    union all
    select 'suppliers.local', scope, scope_id, scope_label, count(distinct siren) filter (where local), 'suppliers'
    from suppliers group by all
),
events as (
    select s.scope, s.scope_id, s.scope_label, e.*
    from stg_events e join int_cafe_scopes s on s.cafe_id = e.cafe_id
    union all
    select 'programme', e.programme, e.programme, e.*
    from stg_events e
),
event_figures as (
    select 'events.count' as indicator, scope, scope_id, scope_label, count(*) as value, 'events' as unit from events group by all
    union all
    select 'events.attendance', scope, scope_id, scope_label, sum(attendance), 'people' from events group by all
    union all
    select 'events.associations', scope, scope_id, scope_label,
        count(distinct a) filter (where a is not null), 'associations'
    from (select scope, scope_id, scope_label, unnest(case when len(association_ids) = 0 then [null] else association_ids end) as a from events) group by all
    union all
    select 'events.producers', scope, scope_id, scope_label,
        count(distinct p) filter (where p is not null), 'producers'
    from (select scope, scope_id, scope_label, unnest(case when len(producer_ids) = 0 then [null] else producer_ids end) as p from events) group by all
),
all_figures as (
    select indicator, scope, scope_id, scope_label, CAST(value AS DOUBLE) as value, unit, false as suppressed from km_figures
    union all
    -- a cell describing fewer than {{min_cell}} people (outside the network total) is suppressed
    select indicator, scope, scope_id, scope_label,
        case when scope <> 'network' and people < {{min_cell}} then null else CAST(value AS DOUBLE) end,
        unit, scope <> 'network' and people < {{min_cell}}
    from job_figures
    union all
    select 'residents.mobilised', scope, scope_id, scope_label,
        case when scope <> 'network' and n < {{min_cell}} then null else CAST(n AS DOUBLE) end,
        'people', scope <> 'network' and n < {{min_cell}}
    from residents
    union all
    select indicator, scope, scope_id, scope_label, CAST(value AS DOUBLE), unit, false from supplier_figures
    union all
    select indicator, scope, scope_id, scope_label, CAST(value AS DOUBLE), unit, false from event_figures
)
select * from all_figures
