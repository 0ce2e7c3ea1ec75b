package com.backlogmcp.backlog.seed;

import com.backlogmcp.backlog.items.Item;
import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.contracts.demo.DemoFixture;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

/**
 * The backlog half of the demo data when SEED_DEMO_DATA=true: the DemoFixture workspaces, projects and
 * memberships, and for prj_acme a few dozen items of every type and status with comments, notes, an inbox
 * conversation, a release, an external mapping, an announcement and a widget config. Every row has a fixed id and
 * is inserted with ON CONFLICT DO NOTHING, so seeding again (every start) changes nothing and never overwrites
 * what people did with the demo since.
 */
@Singleton
@Requires(property = "backlogmcp.seed-demo-data", value = "true")
public final class DemoSeeder {

    private static final Logger LOG = LoggerFactory.getLogger(DemoSeeder.class);

    private static final List<String> TITLES = List.of(
            "Export invoices as PDF", "Crash when saving a draft", "Add dark mode", "Onboarding checklist feedback",
            "Document the public API", "Rotate leaked staging credentials", "Cache Maven dependencies in CI",
            "Move the database to managed PostgreSQL");

    private final TransactionOperations<Connection> tx;

    DemoSeeder(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        seed();
    }

    public void seed() {
        tx.executeWrite(status -> {
            ConnectionQueries sql = new ConnectionQueries(status.getConnection());
            seedTenants(sql);
            seedAcme(sql);
            seedSmall(sql, DemoFixture.HOBBY.projectId(), DemoFixture.HOBBY_OWNER.id(), "hobby");
            seedSmall(sql, DemoFixture.LEGACY.projectId(), DemoFixture.LEGACY_OWNER.id(), "legacy");
            return null;
        });
        LOG.info("demo data present (workspaces {}, projects {})", DemoFixture.PROJECTS.size(), DemoFixture.PROJECTS.size());
    }

    private void seedTenants(ConnectionQueries sql) {
        for (DemoFixture.DemoProject p : DemoFixture.PROJECTS) {
            sql.update("INSERT INTO workspaces (id, name, plan, mcp_enabled) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                    p.workspaceId(), p.workspaceName(), p.plan(), p.mcpEnabled());
            sql.update("INSERT INTO projects (id, workspace_id, name, description) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                    p.projectId(), p.workspaceId(), p.projectName(), "Demo project of the " + p.workspaceName() + " workspace.");
        }
        for (DemoFixture.DemoMembership m : DemoFixture.MEMBERSHIPS) {
            String name = DemoFixture.USERS.stream().filter(u -> u.id().equals(m.userId())).findFirst()
                    .map(DemoFixture.DemoUser::displayName).orElse(null);
            sql.update("INSERT INTO members (project_id, user_id, role, display_name) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    m.projectId(), m.userId(), m.role(), name);
        }
        // Acme calls its in-progress column "Doing": statuses are renamable per project, categories are fixed.
        sql.update("INSERT INTO project_statuses (project_id, category, name) VALUES (?, 'in_progress', 'Doing') ON CONFLICT DO NOTHING",
                DemoFixture.ACME.projectId());
    }

    private void seedAcme(ConnectionQueries sql) {
        String project = DemoFixture.ACME.projectId();
        List<String> people = List.of(DemoFixture.ACME_OWNER.id(), DemoFixture.ACME_ADMIN.id(), DemoFixture.ACME_MEMBER.id());
        sql.update("""
                INSERT INTO releases (id, project_id, name, description, status, target_date)
                VALUES ('rel_acme_v2_3', ?, 'v2.3', 'Invoices, dark mode and CI speed-ups.', 'in_progress', current_date + 14)
                ON CONFLICT (id) DO NOTHING""", project);
        sql.update("""
                INSERT INTO releases (id, project_id, name, description, status, target_date, released_at)
                VALUES ('rel_acme_v2_2', ?, 'v2.2', 'Stability release.', 'released', current_date - 30, now() - interval '30 days')
                ON CONFLICT (id) DO NOTHING""", project);
        int n = 0;
        for (int t = 0; t < Item.TYPES.size(); t++) {
            for (int s = 0; s < Item.STATUSES.size(); s++) {
                n++;
                String id = "itm_acme_%02d".formatted(n);
                String type = Item.TYPES.get(t);
                String status = Item.STATUSES.get(s);
                String title = TITLES.get(t) + (s == 0 ? "" : " (" + status.replace('_', ' ') + " example)");
                sql.update("""
                        INSERT INTO items (id, project_id, number, type, title, description, status, priority, assignee_id,
                                           owner_ids, labels, release_id, reporter_id, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now() - make_interval(days => ?), now() - make_interval(hours => ?))
                        ON CONFLICT (id) DO NOTHING""",
                        id, project, n, type, title,
                        "Demo " + type.replace('_', ' ') + " in status " + status + ".\n\n- acceptance: the change is visible in the app\n- area: " + type,
                        status, Item.PRIORITIES.get(n % Item.PRIORITIES.size()),
                        s == 0 ? null : people.get(n % people.size()), List.of(people.get(0)),
                        n % 3 == 0 ? List.of("customer", "v2") : List.of("internal"),
                        t < 3 && s < 3 ? "rel_acme_v2_3" : null, DemoFixture.ACME_MEMBER.id(), 60 - n, n);
            }
        }
        // Subtasks of the invoice export feature.
        for (int i = 1; i <= 3; i++) {
            n++;
            sql.update("""
                    INSERT INTO items (id, project_id, number, type, title, status, priority, parent_id, reporter_id)
                    VALUES (?, ?, ?, 'task', ?, 'open', 'medium', 'itm_acme_01', ?) ON CONFLICT (id) DO NOTHING""",
                    "itm_acme_%02d".formatted(n), project, n, "Invoice export step " + i, DemoFixture.ACME_OWNER.id());
        }
        sql.update("UPDATE projects SET item_seq = greatest(item_seq, ?) WHERE id = ?", n, project);
        for (int i = 1; i <= 6; i++) {
            sql.update("INSERT INTO comments (id, project_id, item_id, author_id, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                    "cmt_acme_%02d".formatted(i), project, "itm_acme_%02d".formatted(i * 5 - 4), people.get(i % people.size()),
                    i % 2 == 0 ? "Customers keep asking about this one; the invoice export timing out is the worst part."
                            : "I can reproduce this on the staging environment.");
        }
        sql.update("INSERT INTO notes (id, project_id, item_id, author_id, body) VALUES ('note_acme_01', ?, 'itm_acme_06', ?, ?) ON CONFLICT (id) DO NOTHING",
                project, DemoFixture.ACME_ADMIN.id(), "Internal: the crash is in the autosave worker; do not promise a date to the customer.");
        sql.update("""
                INSERT INTO conversations (id, project_id, subject, requester_name, requester_email, status, created_at, updated_at)
                VALUES ('conv_acme_01', ?, 'Invoice export does not finish', 'Erin Customer', 'erin@customer.test', 'open',
                        now() - interval '2 days', now() - interval '1 day') ON CONFLICT (id) DO NOTHING""", project);
        sql.update("""
                INSERT INTO conversation_messages (id, conversation_id, author_kind, author_id, body, created_at) VALUES
                  ('msg_acme_01', 'conv_acme_01', 'requester', NULL, 'Exporting last month''s invoices as PDF spins forever.', now() - interval '2 days'),
                  ('msg_acme_02', 'conv_acme_01', 'team', ?, 'Thanks Erin, we are looking into it.', now() - interval '1 day')
                ON CONFLICT (id) DO NOTHING""", DemoFixture.ACME_MEMBER.id());
        sql.update("""
                INSERT INTO external_mappings (id, project_id, item_id, system, external_id, ref, url, synced_at)
                VALUES ('map_acme_01', ?, 'itm_acme_01', 'github', 'acme/web#101', 'acme/web#101',
                        'https://github.com/acme/web/issues/101', now()) ON CONFLICT DO NOTHING""", project);
        sql.update("""
                INSERT INTO announcements (id, project_id, title, body, author_id)
                VALUES ('ann_acme_01', ?, 'v2.2 released', 'Stability fixes across the app. Thanks for your reports!', ?)
                ON CONFLICT (id) DO NOTHING""", project, DemoFixture.ACME_ADMIN.id());
        sql.update("INSERT INTO widget_configs (project_id, config, version, updated_by) VALUES (?, ?, 1, ?) ON CONFLICT DO NOTHING",
                project, Json.document(Map.of("enabled", true, "position", "bottom-right", "primaryColor", "#4f46e5",
                        "greeting", "Tell us what to build next!", "collectEmail", true,
                        "allowedOrigins", List.of("https://app.acme.test"),
                        "itemTypes", List.of("feature_request", "bug_report", "feedback"))),
                DemoFixture.ACME_ADMIN.id());
    }

    private void seedSmall(ConnectionQueries sql, String project, String owner, String name) {
        List<String> titles = List.of("Set up the landing page", "Fix typo in README", "Add RSS feed",
                "Upgrade dependencies", "Write a changelog");
        for (int i = 0; i < titles.size(); i++) {
            sql.update("""
                    INSERT INTO items (id, project_id, number, type, title, status, priority, reporter_id, assignee_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                    "itm_%s_%02d".formatted(name, i + 1), project, i + 1, Item.TYPES.get((i * 3) % Item.TYPES.size()),
                    titles.get(i), Item.STATUSES.get(i % Item.STATUSES.size()), Item.PRIORITIES.get(i % 4), owner,
                    i % 2 == 0 ? owner : null);
        }
        sql.update("UPDATE projects SET item_seq = greatest(item_seq, ?) WHERE id = ?", titles.size(), project);
    }
}
