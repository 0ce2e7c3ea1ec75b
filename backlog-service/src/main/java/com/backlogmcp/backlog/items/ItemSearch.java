package com.backlogmcp.backlog.items;

import com.backlogmcp.backlog.support.ConnectionQueries;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Full-text search over item titles (weight A), descriptions (B) and public comments, with PostgreSQL's
 * websearch syntax ("quoted phrases", -exclusions, OR). Only the page's rows get a snippet, built in Java
 * ({@link Snippets}).
 *
 * <p>Ranking is in two tiers, each ordered by {@code ts_rank} (then item id):
 * <ol>
 *   <li>items whose <em>title alone</em> matches the query (and whose whole text matches it too, so an exclusion
 *       in the description still excludes);</li>
 *   <li>every other match: items matched through title and description together or the description alone, and
 *       items matched only through a comment, whose rank counts {@link #COMMENT_WEIGHT} of the comment's.</li>
 * </ol>
 * For a one-word query this is the order {@code ts_rank} gives anyway (one title occurrence, weight 1.0, outranks
 * any number of description occurrences, whose sum stays below 0.52). The tiers make the cost of a page follow the
 * number of title matches rather than all matches: a word found in a third of all descriptions is usually in few
 * titles, and tier 2 is ranked only when tier 1 cannot fill the page. Both tiers run on GIN indexes
 * ({@code items_title_search}, {@code items_search}, {@code comments_search}).
 * Ties in rank are broken by item id in byte order, in SQL ({@code COLLATE "C"}) and in Java alike, which keeps
 * pages stable from one cursor to the next.
 */
public final class ItemSearch {

    /** Weight of a comment hit relative to an item hit. */
    static final double COMMENT_WEIGHT = 0.6;

    public record Hit(Item item, double rank, String matchedIn, String commentId, String snippet) {
    }

    /** One ranked row before its item is read. */
    private record Ranked(String itemId, double rank, String commentId) {
    }

    /*
     * The title vector is computed with exactly the expression of the items_title_search index, or PostgreSQL would
     * not use it. The title-matching rows are materialised first so that the planner cannot pair this index with
     * items_search in a bitmap AND: for a common word that would read the whole (large) posting list of items_search
     * just to confirm rows the title index already found.
     */
    private static final String TITLE_TIER = """
            WITH q AS MATERIALIZED (SELECT websearch_to_tsquery('english', ?) AS q),
            titled AS MATERIALIZED (
                SELECT i.id, i.search_vector FROM items i, q
                 WHERE i.project_id = ANY(?) AND to_tsvector('english', coalesce(i.title, '')) @@ q.q %s
            )
            SELECT t.id AS item_id, ts_rank(t.search_vector, q.q) AS rank, NULL::text AS comment_id
              FROM titled t, q WHERE t.search_vector @@ q.q
             ORDER BY rank DESC, t.id COLLATE "C" LIMIT ?""";

    /*
     * Every match, best first, for tier 2. It runs only when tier 1 was short of the page, so every tier-1 item is
     * known by then and is dropped in Java (testing the title here would parse every matching title again). Each
     * branch keeps only its best `wanted` rows before the two are merged: an item's place comes from its own match or
     * from its best comment, so the best `wanted` of the merge are among the best `wanted` of each branch, and nothing
     * larger than that is ever sorted.
     */
    private static final String ALL_MATCHES = """
            WITH q AS MATERIALIZED (SELECT websearch_to_tsquery('english', ?) AS q),
            item_hits AS (
                SELECT i.id AS item_id, ts_rank(i.search_vector, q.q) AS rank, NULL::text AS comment_id
                  FROM items i, q
                 WHERE i.project_id = ANY(?) AND i.search_vector @@ q.q %1$s
                 ORDER BY rank DESC, i.id COLLATE "C" LIMIT ?
            ),
            comment_hits AS (
                SELECT DISTINCT ON (c.item_id) c.item_id, ts_rank(c.search_vector, q.q) * ? AS rank, c.id AS comment_id
                  FROM comments c JOIN items i ON i.id = c.item_id, q
                 WHERE c.project_id = ANY(?) AND c.search_vector @@ q.q %1$s
                 ORDER BY c.item_id, rank DESC, c.id
            )
            SELECT DISTINCT ON (item_id) item_id, rank, comment_id FROM (
                SELECT * FROM item_hits
                UNION ALL
                (SELECT * FROM comment_hits ORDER BY rank DESC, item_id COLLATE "C" LIMIT ?)) h
             ORDER BY item_id, rank DESC, comment_id""";

    private static final String PAGE = """
            SELECT %s, c.body AS comment_body, querytree(websearch_to_tsquery('english', ?)) AS terms
              FROM items i LEFT JOIN comments c ON c.id = ANY(?) AND c.item_id = i.id
             WHERE i.id = ANY(?)""".formatted(Item.COLUMNS);

    private static final java.util.Comparator<Ranked> BEST_FIRST =
            java.util.Comparator.comparingDouble(Ranked::rank).reversed().thenComparing(Ranked::itemId);

    private ItemSearch() {
    }

    /**
     * Up to {@code limit} hits from position {@code offset}, in any of {@code projectIds} (one project, or every
     * project of a workspace the caller may read).
     */
    public static List<Hit> search(ConnectionQueries sql, List<String> projectIds, String query, List<String> statuses,
                                   List<String> types, int offset, int limit) {
        int wanted = offset + limit;
        List<Object> filterParams = new ArrayList<>();
        StringBuilder filters = new StringBuilder();
        if (statuses != null) {
            filters.append(" AND i.status = ANY(?)");
            filterParams.add(statuses);
        }
        if (types != null) {
            filters.append(" AND i.type = ANY(?)");
            filterParams.add(types);
        }
        List<Object> params = new ArrayList<>(List.of(query, projectIds));
        params.addAll(filterParams);
        params.add(wanted);
        List<Ranked> titled = sql.list(TITLE_TIER.formatted(filters), ItemSearch::ranked, params.toArray());

        List<Ranked> page = new ArrayList<>(titled.subList(Math.min(offset, titled.size()), titled.size()));
        if (titled.size() < wanted) {
            // All of tier 1 is in `titled`; the rest of the page comes from the other matches, best first.
            int otherWanted = wanted + titled.size();
            params = new ArrayList<>(List.of(query, projectIds));
            params.addAll(filterParams);
            params.add(otherWanted);
            params.add(COMMENT_WEIGHT);
            params.add(projectIds);
            params.addAll(filterParams);
            params.add(otherWanted);
            java.util.Set<String> tierOne = new java.util.HashSet<>();
            titled.forEach(r -> tierOne.add(r.itemId()));
            sql.list(ALL_MATCHES.formatted(filters), ItemSearch::ranked, params.toArray()).stream()
                    .filter(r -> !tierOne.contains(r.itemId()))
                    .sorted(BEST_FIRST)
                    .skip(Math.max(0, offset - titled.size()))
                    .limit(wanted - Math.max(offset, titled.size()))
                    .forEach(page::add);
        }
        return read(sql, query, page);
    }

    private static Ranked ranked(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Ranked(rs.getString("item_id"), rs.getDouble("rank"), rs.getString("comment_id"));
    }

    /** The page's items and matched comments in one statement, then put back in rank order. */
    private static List<Hit> read(ConnectionQueries sql, String query, List<Ranked> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        List<String> itemIds = page.stream().map(Ranked::itemId).toList();
        List<String> commentIds = page.stream().map(Ranked::commentId).filter(id -> id != null).toList();
        Map<String, Hit> byItem = new HashMap<>();
        Map<String, Ranked> ranks = new HashMap<>();
        page.forEach(r -> ranks.put(r.itemId(), r));
        sql.list(PAGE, rs -> {
            Item item = Item.from(rs);
            Ranked r = ranks.get(item.id());
            String commentBody = rs.getString("comment_body");
            if (r.commentId() != null && commentBody == null) {
                return null;
            }
            List<String> lexemes = Snippets.lexemes(rs.getString("terms"));
            String snippet = r.commentId() == null ? Snippets.of(lexemes, item.description(), item.title())
                    : Snippets.of(lexemes, commentBody);
            byItem.put(item.id(), new Hit(item, r.rank(), r.commentId() == null ? "item" : "comment",
                    r.commentId(), snippet));
            return null;
        }, query, commentIds, itemIds);
        return page.stream().map(r -> byItem.get(r.itemId())).filter(h -> h != null).toList();
    }
}
