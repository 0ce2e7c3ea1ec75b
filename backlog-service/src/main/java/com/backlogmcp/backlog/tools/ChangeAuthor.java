package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.support.ConnectionQueries;

/**
 * Tells the database who is changing things in this transaction: the history triggers read these
 * transaction-local settings, so every row they write names the acting user and client, and nothing leaks into
 * the next transaction on the same pooled connection.
 */
public final class ChangeAuthor {

    private ChangeAuthor() {
    }

    public static void set(ConnectionQueries sql, String userId, String clientId) {
        sql.one("SELECT set_config('backlog.actor_id', ?, true), set_config('backlog.client_id', ?, true)",
                rs -> 1, userId, clientId == null ? "" : clientId);
    }
}
