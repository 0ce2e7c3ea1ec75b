package com.backlogmcp.contracts.vocabulary;

import java.util.Locale;
import java.util.Optional;

/** Project roles, ordered: viewer &lt; member &lt; admin &lt; owner. Wire form is the lower-case name. */
public enum Role {
    VIEWER, MEMBER, ADMIN, OWNER;

    public boolean atLeast(Role minimum) {
        return compareTo(minimum) >= 0;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Role r : values()) {
            if (r.wire().equals(value)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
