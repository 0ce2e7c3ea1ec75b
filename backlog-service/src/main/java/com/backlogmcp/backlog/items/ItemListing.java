package com.backlogmcp.backlog.items;

import com.backlogmcp.backlog.support.Cursors;
import com.backlogmcp.backlog.support.ListPage;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ToolFailure;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * list_items paging: newest-updated first, with a cursor that pages a stable snapshot.
 *
 * <p>The first page fixes a snapshot time t0 (a little before "now", covering transactions still in flight).
 * Every page orders items by the updated_at they had at t0: items unchanged since t0 by their updated_at (served
 * by the (project, updated_at, id) index), items changed after t0 by the value remembered in item_sort_history.
 * An item updated while someone pages therefore keeps its place: it is returned exactly once, with its current
 * content. Items created after t0 sort by their creation time. Cursors live as long as that history (24 h).
 */
public final class ItemListing {

    /** How far before the first page the snapshot starts: longer than any write transaction runs. */
    static final long SNAPSHOT_MARGIN_SECONDS = 5;
    private static final String KIND = "items1";

    public record Filters(List<String> statuses, List<String> types, List<String> priorities, String assigneeId,
                          boolean unassigned, String label, String releaseId, String parentId, Instant updatedSince) {

        String fingerprint() {
            return Integer.toHexString(toString().hashCode());
        }
    }

    public record Page(List<Item> items, String nextCursor) {
    }

    private ItemListing() {
    }

    public static Page page(ConnectionQueries sql, String projectId, Filters filters, int limit, String cursor) {
        Instant t0;
        Instant afterKey = null;
        String afterId = null;
        if (cursor == null) {
            t0 = sql.one("SELECT now() - make_interval(secs => ?) AS t0", rs -> ConnectionQueries.instant(rs, "t0"),
                    SNAPSHOT_MARGIN_SECONDS).orElseThrow();
        } else {
            List<String> parts = Cursors.decode(KIND, cursor, 4);
            if (!parts.get(3).equals(filters.fingerprint())) {
                throw ToolFailure.invalid("cursor", "belongs to a listing with other filters; start again without cursor");
            }
            t0 = Cursors.micros(parts.get(0));
            afterKey = Cursors.micros(parts.get(1));
            afterId = parts.get(2);
        }

        List<Object> filterParams = new ArrayList<>();
        String where = filterSql(filters, filterParams);
        String keyset = afterKey == null ? "" : " AND (%s, i.id) < (?, ?)";

        List<Object> params = new ArrayList<>();
        // Part A: unchanged since t0, in index order.
        params.add(projectId);
        params.add(t0);
        addFilterAndKeyset(params, filterParams, afterKey, afterId, limit);
        // Part B: changed after t0 (few rows), placed by the updated_at they had at t0.
        params.add(t0);
        params.add(projectId);
        params.add(t0);
        addFilterAndKeyset(params, filterParams, afterKey, afterId, limit);
        params.add(limit + 1);

        String snapshotKey = "coalesce(h.old_updated_at, i.updated_at)";
        String sqlText = "SELECT * FROM ("
                + "(SELECT " + Item.COLUMNS + ", i.updated_at AS sort_key FROM items i"
                + " WHERE i.project_id = ? AND i.updated_at <= ?" + where
                + keyset.formatted("i.updated_at")
                + " ORDER BY i.updated_at DESC, i.id DESC LIMIT ?)"
                + " UNION ALL "
                + "(SELECT " + Item.COLUMNS + ", " + snapshotKey + " AS sort_key FROM items i"
                + " LEFT JOIN LATERAL (SELECT s.old_updated_at FROM item_sort_history s"
                + "   WHERE s.item_id = i.id AND s.changed_at > ? ORDER BY s.changed_at, s.seq LIMIT 1) h ON true"
                + " WHERE i.project_id = ? AND i.updated_at > ?" + where
                + keyset.formatted(snapshotKey)
                + " ORDER BY sort_key DESC, i.id DESC LIMIT ?)"
                + ") page ORDER BY sort_key DESC, id DESC LIMIT ?";

        ListPage<Keyed> page = ListPage.of(sql.list(sqlText,
                rs -> new Keyed(Item.from(rs), ConnectionQueries.instant(rs, "sort_key")), params.toArray()), limit);
        String next = null;
        if (page.more()) {
            Keyed last = page.last();
            next = Cursors.encode(KIND, micros(t0), micros(last.sortKey()), last.item().id(), filters.fingerprint());
        }
        return new Page(page.rows().stream().map(Keyed::item).toList(), next);
    }

    /** The parameters each half of the union takes after its project/t0 ones: filters, keyset, row limit. */
    private static void addFilterAndKeyset(List<Object> params, List<Object> filterParams, Instant afterKey,
                                           String afterId, int limit) {
        params.addAll(filterParams);
        if (afterKey != null) {
            params.add(afterKey);
            params.add(afterId);
        }
        params.add(limit + 1);
    }

    private static String filterSql(Filters f, List<Object> params) {
        StringBuilder s = new StringBuilder();
        condition(s, params, " AND i.status = ANY(?)", f.statuses());
        condition(s, params, " AND i.type = ANY(?)", f.types());
        condition(s, params, " AND i.priority = ANY(?)", f.priorities());
        if (f.unassigned()) {
            s.append(" AND i.assignee_id IS NULL");
        } else {
            condition(s, params, " AND i.assignee_id = ?", f.assigneeId());
        }
        condition(s, params, " AND i.labels @> ARRAY[?]::text[]", f.label());
        condition(s, params, " AND i.release_id = ?", f.releaseId());
        condition(s, params, " AND i.parent_id = ?", f.parentId());
        condition(s, params, " AND i.updated_at >= ?", f.updatedSince());
        return s.toString();
    }

    /** Appends a one-parameter filter clause when its value is given. */
    private static void condition(StringBuilder s, List<Object> params, String clause, Object value) {
        if (value != null) {
            s.append(clause);
            params.add(value);
        }
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private record Keyed(Item item, Instant sortKey) {
    }
}
