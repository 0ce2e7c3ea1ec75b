package com.backlogmcp.backlog.bench;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.TestStack;
import com.backlogmcp.backlog.items.Item;
import com.backlogmcp.backlog.tools.ToolExecutor;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
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
import java.util.function.Supplier;


/**
 * Latency of list_items and search on a project of 10,000 items (plus 5,000 comments). Not a test: it measures
 * and prints, it asserts only that the calls succeed. Run it by hand (docs/benchmarks.md):
 * {@code ./mvnw -B -q verify -pl backlog-service -Dgroups=benchmark -DexcludedGroups=none -Dtest=ListAndSearchBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * Results go to stdout (target/surefire-reports/...-output.txt) and target/benchmark-backlog.txt.
 */
@Tag("benchmark")
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListAndSearchBenchmark implements TestPropertyProvider {

    static final int ITEMS = 10_000;
    static final int COMMENTS = 5_000;
    static final int WARMUP = 100;
    static final int RUNS = 500;

    @Inject
    TransactionOperations<Connection> tx;

    @Inject
    ToolExecutor executor;

    @io.micronaut.context.annotation.Value("${datasources.default.schema}")
    String schema;

    @Inject
    @Client("/")
    HttpClient client;

    Fixtures.TestProject p;
    List<String> vocabulary;
    final LatencyReport report = new LatencyReport(WARMUP, RUNS);

    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    /** Pronounceable pseudo-words; drawn with a Zipf-like skew so some are common and most are rare, as in text. */
    static List<String> vocabulary(Random random, int size) {
        String[] onsets = {"b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "tr", "pl", "st", "gr", "br"};
        String[] vowels = {"a", "e", "i", "o", "u", "ai", "ou"};
        List<String> words = new ArrayList<>();
        while (words.size() < size) {
            String w = onsets[random.nextInt(onsets.length)] + vowels[random.nextInt(vowels.length)]
                    + onsets[random.nextInt(onsets.length)] + vowels[random.nextInt(vowels.length)]
                    + onsets[random.nextInt(onsets.length)];
            if (!words.contains(w)) {
                words.add(w);
            }
        }
        return words;
    }

    static String text(Random random, List<String> vocab, int words) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < words; i++) {
            double u = random.nextDouble();
            int index = (int) Math.min(vocab.size() - 1, Math.floor(Math.pow(vocab.size(), u)) - 1);
            s.append(i == 0 ? "" : " ").append(vocab.get(Math.max(0, index)));
        }
        return s.toString();
    }

    @BeforeAll
    void load() {
        p = new Fixtures(tx).project();
        Random random = new Random(42);
        vocabulary = vocabulary(random, 3_000);
        long start = System.nanoTime();
        tx.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO items (id, project_id, number, type, title, description, status, priority, assignee_id,
                                       labels, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now() - make_interval(mins => ?), now() - make_interval(secs => ?))""")) {
                for (int n = 1; n <= ITEMS; n++) {
                    ps.setString(1, "itm_bench_" + n);
                    ps.setString(2, p.projectId());
                    ps.setLong(3, n);
                    ps.setString(4, Item.TYPES.get(n % Item.TYPES.size()));
                    ps.setString(5, text(random, vocabulary, 6));
                    ps.setString(6, text(random, vocabulary, 80));
                    ps.setString(7, Item.STATUSES.get(random.nextInt(Item.STATUSES.size())));
                    ps.setString(8, Item.PRIORITIES.get(random.nextInt(Item.PRIORITIES.size())));
                    ps.setString(9, n % 3 == 0 ? p.member() : null);
                    ps.setArray(10, c.createArrayOf("text", n % 5 == 0 ? new String[]{"customer"} : new String[]{}));
                    ps.setInt(11, 200_000 - n);
                    ps.setInt(12, random.nextInt(5_000_000));
                    ps.addBatch();
                    if (n % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO comments (id, project_id, item_id, author_id, body) VALUES (?, ?, ?, ?, ?)")) {
                for (int n = 1; n <= COMMENTS; n++) {
                    ps.setString(1, "cmt_bench_" + n);
                    ps.setString(2, p.projectId());
                    ps.setString(3, "itm_bench_" + (1 + random.nextInt(ITEMS)));
                    ps.setString(4, p.member());
                    ps.setString(5, text(random, vocabulary, 30));
                    ps.addBatch();
                    if (n % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
            }
            c.createStatement().execute("UPDATE projects SET item_seq = " + ITEMS + " WHERE id = '" + p.projectId() + "'");
            return null;
        });
        LatencyReport.settle(schema, "items", "comments");
        line("data: %d items, %d comments in one project, loaded in %d ms", ITEMS, COMMENTS, (System.nanoTime() - start) / 1_000_000);
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

    boolean inProcess(String tool, Map<String, Object> arguments) {
        return !executor.execute(tool, p.projectId(), p.viewer(), args(arguments)).isError();
    }

    boolean overHttp(Internal internal, String tool, Map<String, Object> arguments) {
        var r = internal.tool(tool, p.projectId(), p.viewer(), arguments);
        return r.status() == 200 && !r.isError();
    }

    @Test
    void listItemsAndSearchLatency() throws IOException {
        Internal internal = new Internal(client);
        String secondPage = (String) executor.execute("list_items", p.projectId(), p.viewer(), args(Map.of()))
                .structuredContent().get("nextCursor");
        String common = vocabulary.get(30);
        String medium = vocabulary.get(300);
        String rare = vocabulary.get(2500);

        measure("list_items first page (50 rows), executor", () -> inProcess("list_items", Map.of()));
        measure("list_items second page via cursor, executor", () -> inProcess("list_items", Map.of("cursor", secondPage)));
        measure("list_items status+type filter, executor", () -> inProcess("list_items",
                Map.of("status", List.of("open", "in_progress"), "type", List.of("bug_report"))));
        measure("list_items first page, HTTP POST /internal/tools", () -> overHttp(internal, "list_items", Map.of()));
        measure("search common word ('" + common + "'), executor", () -> inProcess("search", Map.of("query", common)));
        measure("search mid-frequency word ('" + medium + "'), executor", () -> inProcess("search", Map.of("query", medium)));
        measure("search rare word ('" + rare + "'), executor", () -> inProcess("search", Map.of("query", rare)));
        measure("search two words ('" + medium + " " + vocabulary.get(100) + "' OR), executor",
                () -> inProcess("search", Map.of("query", medium + " or " + vocabulary.get(100))));
        measure("search mid-frequency word, HTTP POST /internal/tools", () -> overHttp(internal, "search", Map.of("query", medium)));
        Long matches = new Fixtures(tx).query(sql -> sql.one(
                "SELECT count(*) FROM items WHERE project_id = ? AND search_vector @@ websearch_to_tsquery('english', ?)",
                rs -> rs.getLong(1), p.projectId(), common).orElseThrow());
        line("matching items: common word %d, mid-frequency %d, rare %d", matches,
                new Fixtures(tx).query(sql -> sql.one("SELECT count(*) FROM items WHERE project_id = ? AND search_vector @@ websearch_to_tsquery('english', ?)",
                        rs -> rs.getLong(1), p.projectId(), medium).orElseThrow()),
                new Fixtures(tx).query(sql -> sql.one("SELECT count(*) FROM items WHERE project_id = ? AND search_vector @@ websearch_to_tsquery('english', ?)",
                        rs -> rs.getLong(1), p.projectId(), rare).orElseThrow()));
        report.writeTo("benchmark-backlog.txt");
    }
}
