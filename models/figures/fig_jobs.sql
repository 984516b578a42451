-- Jobs besides the managers: distinct people and full-time equivalents (family jobs,
-- src/indicators/families/jobs.ts). `people` is the headcount the cell describes, for both.
-- grain: one row per indicator × scope × scope_id
-- check not_null: indicator, scope, people
-- check unique: indicator, scope, scope_id
with jobs as (
    select s.scope, s.scope_id, s.scope_label, j.person_key, j.contract, j.fte_days
    from mart_jobs j join int_cafe_scopes s on s.cafe_id = j.cafe_id
),
by_scope as (
    select scope, scope_id, scope_label, count(distinct person_key) as headcount, sum(fte_days) / {{days}} as fte
    from jobs group by all
    union all
    select 'contract', contract, contract, count(distinct person_key), sum(fte_days) / {{days}}
    from jobs where scope = 'network' group by contract
)
select 'jobs.headcount' as indicator, scope, scope_id, scope_label, headcount as value, headcount as people from by_scope
union all
select 'jobs.fte', scope, scope_id, scope_label, fte, headcount from by_scope
