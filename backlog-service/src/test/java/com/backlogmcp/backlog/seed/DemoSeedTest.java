package com.backlogmcp.backlog.seed;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.TestStack;
import com.backlogmcp.backlog.items.Item;
import com.backlogmcp.contracts.demo.DemoFixture;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoSeedTest implements TestPropertyProvider {

    @Inject
    DemoSeeder seeder;

    @Inject
    TransactionOperations<Connection> tx;

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("backlogmcp.seed-demo-data", "true");
        return p;
    }

    long count(String sql, Object... params) {
        return new Fixtures(tx).query(s -> s.one(sql, rs -> rs.getLong(1), params).orElseThrow());
    }

    @Test
    void seedWhenEnabledThenFixtureTenantsAndAcmeBacklogExist() {
        for (DemoFixture.DemoProject p : DemoFixture.PROJECTS) {
            var authz = new Internal(client).get("/internal/authz?projectId=" + p.projectId());
            assertEquals(200, authz.status());
            assertEquals(p.plan(), authz.body().get("plan"));
            assertEquals(p.mcpEnabled(), authz.body().get("mcpEnabled"));
        }
        for (DemoFixture.DemoMembership m : DemoFixture.MEMBERSHIPS) {
            assertEquals(m.role(), new Internal(client).get("/internal/authz?projectId=" + m.projectId() + "&userId=" + m.userId())
                    .body().get("role"));
        }
        String acme = DemoFixture.ACME.projectId();
        for (String type : Item.TYPES) {
            for (String status : Item.STATUSES) {
                assertTrue(count("SELECT count(*) FROM items WHERE project_id = ? AND type = ? AND status = ?", acme, type, status) >= 1,
                        type + "/" + status);
            }
        }
        assertTrue(count("SELECT count(*) FROM items WHERE project_id = ?", acme) >= 36);
        for (String table : List.of("comments", "notes", "conversations", "announcements", "external_mappings", "releases")) {
            assertTrue(count("SELECT count(*) FROM " + table + " WHERE project_id = ?", acme) >= 1, table);
        }
        assertEquals(1, count("SELECT count(*) FROM widget_configs WHERE project_id = ?", acme));
        assertTrue(count("SELECT count(*) FROM items WHERE project_id = ?", DemoFixture.HOBBY.projectId()) >= 3);
        assertTrue(count("SELECT count(*) FROM items WHERE project_id = ?", DemoFixture.LEGACY.projectId()) >= 3);
        var items = new Internal(client).tool("list_items", acme, DemoFixture.ACME_VIEWER.id(), Map.of("status", List.of("in_progress"), "limit", 1, "verbose", true));
        assertEquals("Doing", ((Map<?, ?>) ((List<?>) items.content().get("items")).get(0)).get("statusName"));
    }

    @Test
    void seedWhenRunAgainThenNothingDuplicatedOrOverwritten() {
        String acme = DemoFixture.ACME.projectId();
        new Internal(client).tool("update_item", acme, DemoFixture.ACME_MEMBER.id(), Map.of("id", "itm_acme_02", "title", "Changed by a demo user"));
        long items = count("SELECT count(*) FROM items");
        long comments = count("SELECT count(*) FROM comments");
        seeder.seed();
        assertEquals(items, count("SELECT count(*) FROM items"));
        assertEquals(comments, count("SELECT count(*) FROM comments"));
        assertEquals(1, count("SELECT count(*) FROM items WHERE id = 'itm_acme_02' AND title = 'Changed by a demo user'"));
    }
}
