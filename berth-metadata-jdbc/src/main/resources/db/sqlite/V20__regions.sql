-- Regions (issue 12 §1); identical across sqlite/postgres. Per-registry rows are keyed by the registry key: the bare
-- account for the deployment's default region (so every row from before regions is the default region's) and
-- '<account>@<region>' for another region, which makes every (registry_id, name) constraint an (account, region,
-- name) one without rebuilding tables that others reference. The default region is therefore recorded here on the
-- first start that knows regions, and a later start whose first configured region differs is refused: reordering
-- the list would otherwise silently move the default region's registries to another region.
ALTER TABLE deployment ADD COLUMN default_region TEXT;
