package com.backlogmcp.backlog.widget;

import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.items.Item;

import java.util.Map;

/**
 * The published JSON Schema of the feedback widget's configuration document. update_widget_config's input schema
 * embeds it, so the executor's schema validation is the document validation: nothing invalid is ever stored.
 */
public final class WidgetConfigSchema {

    private WidgetConfigSchema() {
    }

    public static Schema schema() {
        return Schema.object()
                .title("Feedback widget configuration")
                .prop("enabled", Schema.bool().description("Show the widget on the allowed origins."))
                .prop("position", Schema.enumOf("bottom-right", "bottom-left", "top-right", "top-left"))
                .prop("primaryColor", Schema.string().pattern("^#[0-9a-fA-F]{6}$").description("Hex colour, e.g. #4f46e5."))
                .prop("greeting", Schema.string().maxLength(280).description("Text shown when the widget opens."))
                .prop("collectEmail", Schema.bool().description("Ask end users for an e-mail address."))
                .prop("allowedOrigins", Schema.array(Schema.string().pattern("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$"))
                        .uniqueItems().maxItems(20).description("Web origins allowed to embed the widget."))
                .prop("itemTypes", Schema.array(Schema.enumOf(Item.TYPES)).uniqueItems().minItems(1)
                        .description("Item types end users may submit."))
                .required("enabled", "position", "primaryColor", "itemTypes");
    }

    public static Map<String, Object> defaults() {
        return new java.util.LinkedHashMap<>(Map.of("enabled", false, "position", "bottom-right",
                "primaryColor", "#4f46e5", "collectEmail", false,
                "itemTypes", java.util.List.of("feature_request", "bug_report", "feedback")));
    }
}
