package com.backlogmcp.contracts.demo;

import java.util.List;

/**
 * Ids of the demo data (README's demo logins), shared because two services seed halves of it (auth-service the users,
 * backlog-service the workspaces, projects and memberships) and the end-to-end tests use it as their fixture.
 * Passwords are {@code demo-} + the part of the email before {@code @}.
 */
public final class DemoFixture {

    public record DemoUser(String id, String email, String displayName, boolean platformAdmin) {
        public String password() {
            return "demo-" + email.substring(0, email.indexOf('@'));
        }
    }

    public record DemoMembership(String projectId, String userId, String role) {
    }

    public record DemoProject(String workspaceId, String workspaceName, String plan, boolean mcpEnabled,
                              String projectId, String projectName) {
    }

    public static final DemoUser ACME_OWNER = new DemoUser("usr_acme_owner", "owner@acme.test", "Olivia Owner", false);
    public static final DemoUser ACME_ADMIN = new DemoUser("usr_acme_admin", "admin@acme.test", "Adam Admin", false);
    public static final DemoUser ACME_MEMBER = new DemoUser("usr_acme_member", "member@acme.test", "Mia Member", false);
    public static final DemoUser ACME_VIEWER = new DemoUser("usr_acme_viewer", "viewer@acme.test", "Victor Viewer", false);
    public static final DemoUser ACME_OUTSIDER = new DemoUser("usr_acme_outsider", "outsider@acme.test", "Oscar Outsider", false);
    public static final DemoUser HOBBY_OWNER = new DemoUser("usr_hobby_owner", "owner@hobby.test", "Hana Hobby", false);
    public static final DemoUser LEGACY_OWNER = new DemoUser("usr_legacy_owner", "owner@legacy.test", "Leo Legacy", false);
    public static final DemoUser PLATFORM_ADMIN = new DemoUser("usr_platform", "platform@backlog.test", "Pat Platform", true);

    public static final List<DemoUser> USERS = List.of(ACME_OWNER, ACME_ADMIN, ACME_MEMBER, ACME_VIEWER,
            ACME_OUTSIDER, HOBBY_OWNER, LEGACY_OWNER, PLATFORM_ADMIN);

    public static final DemoProject ACME = new DemoProject("ws_acme", "Acme", "business", true, "prj_acme", "Acme Web App");
    public static final DemoProject HOBBY = new DemoProject("ws_hobby", "Hobby", "free", true, "prj_hobby", "Hobby Side Project");
    public static final DemoProject LEGACY = new DemoProject("ws_legacy", "Legacy", "pro", false, "prj_legacy", "Legacy Portal");

    public static final List<DemoProject> PROJECTS = List.of(ACME, HOBBY, LEGACY);

    public static final List<DemoMembership> MEMBERSHIPS = List.of(
            new DemoMembership("prj_acme", ACME_OWNER.id(), "owner"),
            new DemoMembership("prj_acme", ACME_ADMIN.id(), "admin"),
            new DemoMembership("prj_acme", ACME_MEMBER.id(), "member"),
            new DemoMembership("prj_acme", ACME_VIEWER.id(), "viewer"),
            new DemoMembership("prj_hobby", HOBBY_OWNER.id(), "owner"),
            new DemoMembership("prj_legacy", LEGACY_OWNER.id(), "owner"));

    private DemoFixture() {
    }
}
