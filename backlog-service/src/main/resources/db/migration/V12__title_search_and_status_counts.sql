-- Search ranks items whose title alone matches the query first (items/ItemSearch.java). This index finds them
-- without reading the posting list of items_search, which for a common word covers a large share of all items.
-- The expression must stay identical to the one ItemSearch queries with, or PostgreSQL will not use the index.
CREATE INDEX items_title_search ON items USING gin (to_tsvector('english', coalesce(title, '')));

-- list_projects counts each project's items by status; with this index the counts are an index-only scan instead
-- of a read of every item row.
CREATE INDEX items_status_counts ON items (project_id, status);
