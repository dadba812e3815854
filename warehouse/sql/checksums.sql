-- name: read_model_tables
-- Every base table the projections write (migration bookkeeping is not a read model).
SELECT table_name
FROM duckdb_tables()
WHERE schema_name = 'main' AND table_name <> 'schema_migrations' AND NOT temporary
ORDER BY table_name;

-- name: table_checksum
-- Order-independent: row count plus XOR and sum of row hashes. {table} comes from the list above.
SELECT count(*) AS row_count,
       coalesce(bit_xor(hash(t)), 0) AS hash_xor,
       coalesce(sum(hash(t)), 0) AS hash_sum
FROM {table} AS t;
