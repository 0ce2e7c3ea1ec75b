-- The mcp schema starts here; tables follow in later migrations.
CREATE TABLE IF NOT EXISTS schema_info (name text PRIMARY KEY, value text NOT NULL);
INSERT INTO schema_info (name, value) VALUES ('owner', 'mcp-service') ON CONFLICT DO NOTHING;
