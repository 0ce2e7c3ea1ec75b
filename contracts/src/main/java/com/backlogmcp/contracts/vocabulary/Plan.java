package com.backlogmcp.contracts.vocabulary;

import java.util.Locale;
import java.util.Optional;

/** Workspace plans: whether write tools are allowed. Daily limits live in audit-service, overridable by environment. */
public enum Plan {
    FREE(false), PRO(true), BUSINESS(true), ENTERPRISE(true);

    private final boolean writeTools;

    Plan(boolean writeTools) {
        this.writeTools = writeTools;
    }

    /** Whether the plan may call (and be granted) write tools and write scopes. */
    public boolean allowsWrites() {
        return writeTools;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Plan> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Plan p : values()) {
            if (p.wire().equals(value)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
