package com.backlogmcp.backlog.items;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;

/** Argument schemas create_item and update_item share, so both accept exactly the same values. */
final class ItemArguments {

    static final String LABEL_PATTERN = "^[A-Za-z0-9][A-Za-z0-9 _.:/+#-]{0,49}$";

    private ItemArguments() {
    }

    static Schema title() {
        return Schema.string().minLength(1).maxLength(SharedSchemas.TITLE_MAX)
                .description("Short summary, at most " + SharedSchemas.TITLE_MAX + " characters.");
    }

    static Schema description() {
        return Schema.string().maxLength(SharedSchemas.DESCRIPTION_MAX)
                .description("Markdown body, at most " + SharedSchemas.DESCRIPTION_MAX + " characters.");
    }

    static Schema labels(String what) {
        return Schema.array(Schema.string().pattern(LABEL_PATTERN)).uniqueItems().maxItems(20)
                .description(what + " Labels are 1-50 letters, digits, spaces or _.:/+#-.");
    }

    static Schema userIds(String what) {
        return Schema.array(SharedSchemas.userId("A member's user id.")).uniqueItems().maxItems(20).description(what);
    }
}
