-- Every change to an item, kept forever: one row per changed field (old -> new), who made it and through which
-- client. Rows are written by triggers on items and comments, so they commit in the same transaction as the change
-- itself and no code path (a tool, a sync, a bulk update) can change an item without leaving its trace.
-- The acting user and client come from transaction-local settings the tool executor sets before a write
-- (backlog.actor_id, backlog.client_id); a change made outside a tool (the demo seed) falls back to the item's
-- reporter or the comment's author, with no client.
-- No foreign key to items: the history of an item outlives the item.
CREATE TABLE item_history (
    seq         bigserial   PRIMARY KEY,
    project_id  text        NOT NULL,
    item_id     text        NOT NULL,
    field       text        NOT NULL,
    old_value   jsonb,
    new_value   jsonb,
    actor_id    text,
    client_id   text,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
-- get_item_history pages an item's changes newest first; activity pages a project's changes since a time.
CREATE INDEX item_history_item ON item_history (item_id, seq);
CREATE INDEX item_history_project ON item_history (project_id, changed_at, seq);

CREATE FUNCTION item_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'item_history is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER item_history_no_update BEFORE UPDATE OR DELETE ON item_history
    FOR EACH ROW EXECUTE FUNCTION item_history_append_only();
CREATE TRIGGER item_history_no_truncate BEFORE TRUNCATE ON item_history
    FOR EACH STATEMENT EXECUTE FUNCTION item_history_append_only();

CREATE FUNCTION items_record_history() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    actor  text := nullif(current_setting('backlog.actor_id', true), '');
    client text := nullif(current_setting('backlog.client_id', true), '');
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO item_history (project_id, item_id, field, old_value, new_value, actor_id, client_id)
        VALUES (NEW.project_id, NEW.id, 'created', NULL,
                jsonb_build_object('title', NEW.title, 'type', NEW.type, 'status', NEW.status, 'priority', NEW.priority),
                coalesce(actor, NEW.reporter_id), client);
        RETURN NULL;
    END IF;
    INSERT INTO item_history (project_id, item_id, field, old_value, new_value, actor_id, client_id)
    SELECT NEW.project_id, NEW.id, f.field, f.old_value, f.new_value, actor, client
      FROM (VALUES (1, 'title',       to_jsonb(OLD.title),       to_jsonb(NEW.title)),
                   (2, 'type',        to_jsonb(OLD.type),        to_jsonb(NEW.type)),
                   (3, 'description', to_jsonb(OLD.description), to_jsonb(NEW.description)),
                   (4, 'status',      to_jsonb(OLD.status),      to_jsonb(NEW.status)),
                   (5, 'priority',    to_jsonb(OLD.priority),    to_jsonb(NEW.priority)),
                   (6, 'assigneeId',  to_jsonb(OLD.assignee_id), to_jsonb(NEW.assignee_id)),
                   (7, 'ownerIds',    to_jsonb(OLD.owner_ids),   to_jsonb(NEW.owner_ids)),
                   (8, 'labels',      to_jsonb(OLD.labels),      to_jsonb(NEW.labels)),
                   (9, 'parentId',    to_jsonb(OLD.parent_id),   to_jsonb(NEW.parent_id)),
                   (10, 'releaseId',  to_jsonb(OLD.release_id),  to_jsonb(NEW.release_id)))
           AS f(n, field, old_value, new_value)
     WHERE f.old_value IS DISTINCT FROM f.new_value
     ORDER BY f.n;
    RETURN NULL;
END $$;

-- items_before_update leaves version alone on a no-op write, so only real changes reach the log.
CREATE TRIGGER items_history_insert AFTER INSERT ON items
    FOR EACH ROW EXECUTE FUNCTION items_record_history();
CREATE TRIGGER items_history_update AFTER UPDATE ON items
    FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version) EXECUTE FUNCTION items_record_history();

CREATE FUNCTION comments_record_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO item_history (project_id, item_id, field, old_value, new_value, actor_id, client_id)
    VALUES (NEW.project_id, NEW.item_id, 'comment', NULL, jsonb_build_object('commentId', NEW.id),
            coalesce(nullif(current_setting('backlog.actor_id', true), ''), NEW.author_id),
            nullif(current_setting('backlog.client_id', true), ''));
    RETURN NULL;
END $$;
CREATE TRIGGER comments_history_insert AFTER INSERT ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_record_history();
