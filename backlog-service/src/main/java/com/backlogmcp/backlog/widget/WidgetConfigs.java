package com.backlogmcp.backlog.widget;

import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ResultMaps;

import java.util.Map;

final class WidgetConfigs {

    private WidgetConfigs() {
    }

    static Map<String, Object> current(ConnectionQueries sql, String projectId) {
        return sql.one("SELECT config::text AS config, version, updated_by, updated_at FROM widget_configs WHERE project_id = ?",
                rs -> {
                    try {
                        return ResultMaps.of("config", Json.map(Json.parse(rs.getString("config"))),
                                "version", rs.getLong("version"), "updatedBy", rs.getString("updated_by"),
                                "updatedAt", ResultMaps.time(ConnectionQueries.instant(rs, "updated_at")));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException("stored widget config is not JSON", e);
                    }
                }, projectId)
                .orElseGet(() -> ResultMaps.of("config", WidgetConfigSchema.defaults(), "version", 0L,
                        "updatedBy", null, "updatedAt", null));
    }

    static Schema schema() {
        return Schema.object()
                .prop("config", WidgetConfigSchema.schema())
                .prop("version", Schema.integer().description("0 while the defaults apply; pass as expectedVersion."))
                .prop("updatedBy", Schema.nullableString())
                .prop("updatedAt", Schema.nullableString().format("date-time"))
                .required("config", "version");
    }
}
