package com.backlogmcp.backlog.items;

import com.backlogmcp.backlog.support.ConnectionQueries;

import java.util.ArrayList;
import java.util.List;

/**
 * Full-text search over item titles (weight A), descriptions (B) and public comments, with PostgreSQL's
 * websearch syntax ("quoted phrases", -exclusions, OR). An item matched through a comment ranks below the same
 * match in the item itself. Only the page's rows get a snippet, built in Java ({@link Snippets}).
 */
public final class ItemSearch {

    /** Weight of a comment hit relative to an item hit. */
    static final double COMMENT_WEIGHT = 0.6;

    public record Hit(Item item, double rank, String matchedIn, String commentId, String snippet) {
    }

    private ItemSearch() {
    }

    /** Hits in any of {@code projectIds} (one project, or every project of a workspace the caller may read). */
    public static List<Hit> search(ConnectionQueries sql, List<String> projectIds, String query, List<String> statuses,
                                   List<String> types, int offset, int limit) {
        List<Object> params = new ArrayList<>();
        params.add(query);
        params.add(projectIds);
        params.add(COMMENT_WEIGHT);
        params.add(projectIds);
        StringBuilder filters = new StringBuilder();
        if (statuses != null) {
            filters.append(" AND i.status = ANY(?)");
            params.add(statuses);
        }
        if (types != null) {
            filters.append(" AND i.type = ANY(?)");
            params.add(types);
        }
        params.add(offset);
        params.add(limit);
        String text = """
                WITH q AS (SELECT websearch_to_tsquery('english', ?) AS q),
                hits AS (
                    SELECT i.id AS item_id, ts_rank(i.search_vector, q.q) AS rank, NULL::text AS comment_id
                      FROM items i, q WHERE i.project_id = ANY(?) AND i.search_vector @@ q.q
                    UNION ALL
                    SELECT c.item_id, ts_rank(c.search_vector, q.q) * ?, c.id
                      FROM comments c, q WHERE c.project_id = ANY(?) AND c.search_vector @@ q.q
                ),
                best AS (
                    SELECT DISTINCT ON (item_id) item_id, rank, comment_id FROM hits ORDER BY item_id, rank DESC, comment_id
                ),
                page AS (
                    SELECT b.* FROM best b %s
                     ORDER BY b.rank DESC, b.item_id OFFSET ? LIMIT ?
                )
                SELECT %s, p.rank, p.comment_id, c.body AS comment_body, querytree(q.q) AS terms
                  FROM page p JOIN items i ON i.id = p.item_id LEFT JOIN comments c ON c.id = p.comment_id, q
                 ORDER BY p.rank DESC, p.item_id""".formatted(filters.isEmpty() ? "" : "JOIN items i ON i.id = b.item_id WHERE true" + filters,
                Item.COLUMNS);
        return sql.list(text, rs -> {
            Item item = Item.from(rs);
            String commentId = rs.getString("comment_id");
            List<String> lexemes = Snippets.lexemes(rs.getString("terms"));
            String snippet = commentId == null ? Snippets.of(lexemes, item.description(), item.title())
                    : Snippets.of(lexemes, rs.getString("comment_body"));
            return new Hit(item, rs.getDouble("rank"), commentId == null ? "item" : "comment", commentId, snippet);
        }, params.toArray());
    }
}
