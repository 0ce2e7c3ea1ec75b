-- Rules every change of an item obeys, whichever tool (or sync) makes it, kept in the database so no code path
-- can forget one:
--  * a real change bumps updated_at and version (optimistic locking; no-op writes change nothing);
--  * a status change sets completed_at when the item becomes done and clears it otherwise;
--  * the previous updated_at is remembered, so list_items cursors page a stable snapshot.
ALTER TABLE item_sort_history ADD COLUMN seq bigserial;
DROP INDEX item_sort_history_item;
CREATE INDEX item_sort_history_item ON item_sort_history (item_id, changed_at, seq);

CREATE FUNCTION items_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.completed_at := CASE WHEN NEW.status = 'done' THEN coalesce(NEW.completed_at, now()) END;
    RETURN NEW;
END $$;

CREATE FUNCTION items_before_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.title, NEW.description, NEW.type, NEW.status, NEW.priority, NEW.assignee_id, NEW.owner_ids, NEW.labels,
        NEW.parent_id, NEW.release_id)
       IS NOT DISTINCT FROM
       (OLD.title, OLD.description, OLD.type, OLD.status, OLD.priority, OLD.assignee_id, OLD.owner_ids, OLD.labels,
        OLD.parent_id, OLD.release_id) THEN
        NEW.updated_at := OLD.updated_at;
        NEW.version := OLD.version;
        NEW.completed_at := OLD.completed_at;
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        NEW.completed_at := CASE WHEN NEW.status = 'done' THEN now() END;
    ELSE
        NEW.completed_at := OLD.completed_at;
    END IF;
    NEW.updated_at := greatest(now(), OLD.updated_at + interval '1 microsecond');
    NEW.version := OLD.version + 1;
    INSERT INTO item_sort_history (item_id, changed_at, old_updated_at) VALUES (OLD.id, now(), OLD.updated_at);
    RETURN NEW;
END $$;

CREATE TRIGGER items_before_insert BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_before_insert();
CREATE TRIGGER items_before_update BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION items_before_update();
