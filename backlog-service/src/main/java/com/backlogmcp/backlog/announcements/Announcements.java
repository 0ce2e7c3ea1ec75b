package com.backlogmcp.backlog.announcements;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.UntrustedText;
import com.backlogmcp.backlog.support.ResultMaps;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

final class Announcements {

    static final List<String> FIELDS = List.of("id", "title", "body", "authorId", "createdAt");
    static final int TITLE_MAX = 200;

    private Announcements() {
    }

    static Map<String, Object> row(ResultSet rs) throws SQLException {
        return ResultMaps.of("id", rs.getString("id"), "title", UntrustedText.wrap(rs.getString("title")),
                "body", UntrustedText.wrap(rs.getString("body")), "authorId", rs.getString("author_id"),
                "createdAt", ConnectionQueries.instant(rs, "created_at"));
    }

    static Schema schema() {
        return Schema.object()
                .prop("id", Schema.string().description("Announcement id (ann_…)."))
                .prop("title", SharedSchemas.untrusted("Title"))
                .prop("body", SharedSchemas.untrusted("Body"))
                .prop("authorId", Schema.string())
                .prop("createdAt", SharedSchemas.timestamp("When it was sent."));
    }
}
