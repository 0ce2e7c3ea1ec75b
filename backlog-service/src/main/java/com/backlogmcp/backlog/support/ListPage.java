package com.backlogmcp.backlog.support;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One page of a list tool. Every list query asks for limit + 1 rows: the extra row only says that another page
 * exists, and is never returned.
 */
public record ListPage<T>(List<T> rows, boolean more) {

    /** Keeps the first {@code limit} of rows fetched with a limit of {@code limit + 1}. */
    public static <T> ListPage<T> of(List<T> fetched, int limit) {
        boolean more = fetched.size() > limit;
        return new ListPage<>(more ? fetched.subList(0, limit) : fetched, more);
    }

    /** Adds {@code limit + 1} as the query's last parameter, runs it and keeps the page. */
    public static <T> ListPage<T> fetch(int limit, List<Object> params, Function<Object[], List<T>> query) {
        params.add(limit + 1);
        return of(query.apply(params.toArray()), limit);
    }

    /** The page's last row: the one the next cursor continues after. */
    public T last() {
        return rows.get(rows.size() - 1);
    }

    /**
     * The tool result: the viewed rows under {@code key}, plus "nextCursor" when more remain. The cursor is made
     * before the rows are viewed, because a view may rewrite a row (an Instant turned into its text).
     */
    public Map<String, Object> result(String key, Function<T, Map<String, Object>> view,
                                      Function<ListPage<T>, String> nextCursor) {
        String next = more ? nextCursor.apply(this) : null;
        Map<String, Object> out = ResultMaps.of(key, rows.stream().map(view).toList());
        if (next != null) {
            out.put("nextCursor", next);
        }
        return out;
    }
}
