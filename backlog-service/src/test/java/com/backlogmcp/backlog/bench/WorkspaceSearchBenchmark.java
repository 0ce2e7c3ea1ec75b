package com.backlogmcp.backlog.bench;

import com.backlogmcp.backlog.TestStack;
import com.backlogmcp.backlog.items.Item;
import com.backlogmcp.backlog.tools.ToolExecutor;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;


/**
 * Latency of search across a workspace of 10 projects × 10,000 items (plus 1,000 comments each), the acting user a
 * member of all ten, next to list_projects and a one-project search on the same data. Not a test: it measures and
 * prints, it asserts only that the calls succeed. Run it by hand (docs/benchmarks.md):
 * {@code ./mvnw -B -q verify -pl backlog-service -am -Dgroups=benchmark -DexcludedGroups=none -Dtest=WorkspaceSearchBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none}
 * Results go to stdout and target/benchmark-workspace-search.txt.
 */
@Tag("benchmark")
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspaceSearchBenchmark implements TestPropertyProvider {

    static final int PROJECTS = 10;
    static final int ITEMS = 10_000;
    static final int COMMENTS = 1_000;
    static final int WARMUP = 50;
    static final int RUNS = 300;

    @Inject
    TransactionOperations<Connection> tx;

    @Inject
    ToolExecutor executor;

    @io.micronaut.context.annotation.Value("${datasources.default.schema}")
    String schema;

    String workspace;
    final List<String> projects = new ArrayList<>();
    String user;
    List<String> vocabulary;
    final LatencyReport report = new LatencyReport(WARMUP, RUNS);

    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    @BeforeAll
    void load() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        workspace = "wrk_bench_" + suffix;
        user = "usr_bench_" + suffix;
        Random random = new Random(42);
        vocabulary = ListAndSearchBenchmark.vocabulary(random, 3_000);
        long start = System.nanoTime();
        for (int p = 0; p < PROJECTS; p++) {
            String projectId = "prj_bench_" + suffix + "_" + p;
            projects.add(projectId);
            tx.executeWrite(status -> {
                Connection c = status.getConnection();
                try (var s = c.createStatement()) {
                    if (projects.size() == 1) {
                        s.execute("INSERT INTO workspaces (id, name, plan, mcp_enabled) VALUES ('" + workspace + "', 'Bench', 'business', true)");
                    }
                    s.execute("INSERT INTO projects (id, workspace_id, name, item_seq) VALUES ('" + projectId + "', '" + workspace + "', 'Bench', " + ITEMS + ")");
                    s.execute("INSERT INTO members (project_id, user_id, role) VALUES ('" + projectId + "', '" + user + "', 'member')");
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO items (id, project_id, number, type, title, description, status, priority, labels,
                                           created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now() - make_interval(mins => ?), now() - make_interval(secs => ?))""")) {
                    for (int n = 1; n <= ITEMS; n++) {
                        ps.setString(1, "itm_" + projectId.substring(4) + "_" + n);
                        ps.setString(2, projectId);
                        ps.setLong(3, n);
                        ps.setString(4, Item.TYPES.get(n % Item.TYPES.size()));
                        ps.setString(5, ListAndSearchBenchmark.text(random, vocabulary, 6));
                        ps.setString(6, ListAndSearchBenchmark.text(random, vocabulary, 80));
                        ps.setString(7, Item.STATUSES.get(random.nextInt(Item.STATUSES.size())));
                        ps.setString(8, Item.PRIORITIES.get(random.nextInt(Item.PRIORITIES.size())));
                        ps.setArray(9, c.createArrayOf("text", new String[]{}));
                        ps.setInt(10, 200_000 - n);
                        ps.setInt(11, random.nextInt(5_000_000));
                        ps.addBatch();
                        if (n % 1000 == 0) {
                            ps.executeBatch();
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO comments (id, project_id, item_id, author_id, body) VALUES (?, ?, ?, ?, ?)")) {
                    for (int n = 1; n <= COMMENTS; n++) {
                        ps.setString(1, "cmt_" + projectId.substring(4) + "_" + n);
                        ps.setString(2, projectId);
                        ps.setString(3, "itm_" + projectId.substring(4) + "_" + (1 + random.nextInt(ITEMS)));
                        ps.setString(4, user);
                        ps.setString(5, ListAndSearchBenchmark.text(random, vocabulary, 30));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
        }
        LatencyReport.settle(schema, "items", "comments", "members", "projects");
        line("data: %d projects × %d items (+%d comments each) in one workspace, loaded in %d ms", PROJECTS, ITEMS,
                COMMENTS, (System.nanoTime() - start) / 1_000_000);
        report.machine();
    }

    void line(String format, Object... args) {
        report.line(format, args);
    }

    ObjectNode args(Map<String, Object> values) {
        return com.backlogmcp.backlog.support.Json.MAPPER.valueToTree(values);
    }

    void measure(String name, Supplier<Boolean> call) {
        report.measure(name, call);
    }

    boolean inWorkspace(String tool, Map<String, Object> arguments) {
        return !executor.executeInWorkspace(tool, workspace, null, user, null, args(arguments), null).isError();
    }

    long matches(String word) {
        return tx.executeRead(status -> {
            try (var ps = status.getConnection().prepareStatement(
                    "SELECT count(*) FROM items WHERE project_id = ANY(?) AND search_vector @@ websearch_to_tsquery('english', ?)")) {
                ps.setArray(1, status.getConnection().createArrayOf("text", projects.toArray()));
                ps.setString(2, word);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void workspaceSearchLatency() throws IOException {
        String common = vocabulary.get(30);
        String medium = vocabulary.get(300);
        String rare = vocabulary.get(2500);
        measure("list_projects (10 projects with counts)", () -> inWorkspace("list_projects", Map.of()));
        measure("workspace search rare word (" + matches(rare) + " matches)", () -> inWorkspace("search", Map.of("query", rare)));
        measure("workspace search mid-frequency word (" + matches(medium) + " matches)", () -> inWorkspace("search", Map.of("query", medium)));
        measure("workspace search common word (" + matches(common) + " matches)", () -> inWorkspace("search", Map.of("query", common)));
        measure("workspace search two words OR", () -> inWorkspace("search", Map.of("query", medium + " or " + vocabulary.get(100))));
        measure("one project of the ten, mid-frequency word (projectId)", () -> inWorkspace("search",
                Map.of("query", medium, "projectId", projects.get(0))));
        report.writeTo("benchmark-workspace-search.txt");
    }
}
