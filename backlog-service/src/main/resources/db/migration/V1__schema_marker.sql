-- The backlog schema starts here; domain tables follow in later migrations.
CREATE TABLE IF NOT EXISTS schema_info (name text PRIMARY KEY, value text NOT NULL);
INSERT INTO schema_info (name, value) VALUES ('owner', 'backlog-service') ON CONFLICT DO NOTHING;
