-- Every scope a café belongs to, so that each figure is computed once per scope from the rows
-- themselves (distinct counts stay distinct: a person active in two cafés of a region counts once
-- in the region).
-- grain: one row per café × scope
-- check not_null: cafe_id, scope
-- check unique: cafe_id, scope
-- check relationships: cafe_id -> stg_cafes.cafe_id
select cafe_id, 'network' as scope, null::VARCHAR as scope_id, null::VARCHAR as scope_label from stg_cafes
union all select cafe_id, 'region', region, region_name from stg_cafes
union all select cafe_id, 'department', department, department_name from stg_cafes
union all select cafe_id, 'cafe', cafe_id, name from stg_cafes
union all select cafe_id, 'model', model, model from stg_cafes
union all select cafe_id, 'stage', stage, stage from stg_cafes
