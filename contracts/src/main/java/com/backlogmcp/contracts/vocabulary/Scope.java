package com.backlogmcp.contracts.vocabulary;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * OAuth scopes an agent can be granted, with the plain-English sentence the consent page shows and the
 * lowest project role that can make use of the scope. The catalog names one scope per tool.
 */
public enum Scope {
    BACKLOG_READ("backlog:read", "Read the project, its items, releases and external task links", Role.VIEWER, false),
    BACKLOG_WRITE("backlog:write", "Create and change items and releases, and link or sync external tasks", Role.MEMBER, true),
    COMMENTS_READ("comments:read", "Read public comments on items", Role.VIEWER, false),
    COMMENTS_WRITE("comments:write", "Post public comments on items, visible to end users", Role.MEMBER, true),
    NOTES_READ("notes:read", "Read internal team notes on items", Role.MEMBER, false),
    NOTES_WRITE("notes:write", "Add internal team notes to items", Role.MEMBER, true),
    INBOX_READ("inbox:read", "Read private inbox conversations with end users", Role.MEMBER, false),
    INBOX_WRITE("inbox:write", "Reply to and close inbox conversations on your behalf", Role.MEMBER, true),
    ANNOUNCEMENTS_READ("announcements:read", "Read project announcements", Role.VIEWER, false),
    ANNOUNCEMENTS_WRITE("announcements:write", "Send announcements to everyone following the project", Role.ADMIN, true),
    WIDGET_READ("widget:read", "Read the feedback widget configuration", Role.VIEWER, false),
    WIDGET_WRITE("widget:write", "Change the feedback widget configuration", Role.ADMIN, true),
    MEMBERS_READ("members:read", "See who is on the team and their roles", Role.VIEWER, false),
    MEMBERS_WRITE("members:write", "Invite, remove and change the roles of team members", Role.ADMIN, true);

    private final String value;
    private final String description;
    private final Role minimumRole;
    private final boolean write;

    Scope(String value, String description, Role minimumRole, boolean write) {
        this.value = value;
        this.description = description;
        this.minimumRole = minimumRole;
        this.write = write;
    }

    public String value() {
        return value;
    }

    public String description() {
        return description;
    }

    public Role minimumRole() {
        return minimumRole;
    }

    public boolean isWrite() {
        return write;
    }

    public static Optional<Scope> fromValue(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }

    public static List<String> allValues() {
        return Arrays.stream(values()).map(Scope::value).toList();
    }
}
