package com.backlogmcp.backlog.tools;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Concurrent calls through the real HTTP endpoint and database: no lost field, no duplicate sync. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrencyTest extends ToolTestSupport {

    <T> List<T> inParallel(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void updateItemWhenDifferentFieldsChangedInParallelThenNoFieldLost() throws Exception {
        var p = fixtures().project();
        for (int round = 0; round < 5; round++) {
            String id = createItem(p, "Race " + round);
            int r = round;
            List<Callable<Map<String, Object>>> updates = List.of(
                    () -> ok("update_item", p, p.member(), Map.of("id", id, "title", "New title " + r)),
                    () -> ok("update_item", p, p.admin(), Map.of("id", id, "status", "in_progress")),
                    () -> ok("update_item", p, p.owner(), Map.of("id", id, "priority", "critical")),
                    () -> ok("update_item", p, p.member(), Map.of("id", id, "assigneeId", p.admin())),
                    () -> ok("update_item", p, p.admin(), Map.of("id", id, "description", "Body " + r)),
                    () -> ok("update_item", p, p.member(), Map.of("id", id, "addLabels", List.of("a"))),
                    () -> ok("update_item", p, p.owner(), Map.of("id", id, "addLabels", List.of("b"))));
            inParallel(updates);
            var item = map(ok("get_item", p, p.viewer(), Map.of("id", id, "verbose", true)).get("item"));
            assertEquals("New title " + r, text(item.get("title")));
            assertEquals("in_progress", item.get("status"));
            assertEquals("critical", item.get("priority"));
            assertEquals(p.admin(), item.get("assigneeId"));
            assertEquals("Body " + r, text(item.get("description")));
            assertEquals(List.of("a", "b"), item.get("labels"));
            assertEquals(8, ((Number) item.get("version")).intValue(), "seven changes on top of version 1");
        }
    }

    @Test
    void updateItemWhenSameExpectedVersionInParallelThenExactlyOneWins() throws Exception {
        var p = fixtures().project();
        String id = createItem(p, "Optimistic");
        List<Callable<String>> updates = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            updates.add(() -> {
                var reply = call("update_item", p, p.member(), Map.of("id", id, "title", "writer " + n, "expectedVersion", 1));
                return reply.isError() ? reply.errorType() : "OK";
            });
        }
        List<String> outcomes = inParallel(updates);
        assertEquals(1, outcomes.stream().filter("OK"::equals).count(), outcomes.toString());
        assertEquals(5, outcomes.stream().filter("CONFLICT"::equals).count(), outcomes.toString());
    }

    @Test
    void syncExternalTaskWhenSameTaskSyncedInParallelThenOneItem() throws Exception {
        var p = fixtures().project();
        List<Callable<Map<String, Object>>> syncs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            syncs.add(() -> ok("sync_external_task", p, p.member(), Map.of("system", "jira", "externalId", "OPS-9",
                    "title", "Disk full on build agents")));
        }
        var results = inParallel(syncs);
        assertEquals(1, results.stream().filter(r -> Boolean.TRUE.equals(r.get("created"))).count());
        assertEquals(1, results.stream().map(r -> map(r.get("item")).get("id")).distinct().count());
        assertEquals(1, rows(ok("list_items", p, p.viewer(), Map.of()).get("items")).size());
        assertFalse(results.stream().anyMatch(r -> r.containsKey("error_type")));
    }
}
