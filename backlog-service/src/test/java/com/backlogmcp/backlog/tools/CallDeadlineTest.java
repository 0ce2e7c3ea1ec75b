package com.backlogmcp.backlog.tools;

import com.backlogmcp.contracts.Headers;
import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A call whose caller has stopped waiting ({@code X-Call-Deadline} passed) runs nothing and says so. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallDeadlineTest extends ToolTestSupport {

    private Internal.Reply createItem(Fixtures.TestProject p, String title, String deadline) {
        String body = "{\"projectId\":\"" + p.projectId() + "\",\"userId\":\"" + p.member() + "\",\"arguments\":{\"title\":\"" + title + "\"}}";
        return internal().send(HttpRequest.POST("/internal/tools/create_item", body).header(Headers.CALL_DEADLINE, deadline));
    }

    private int itemsTitled(Fixtures.TestProject p, String title) {
        return (int) rows(ok("list_items", p, p.viewer(), Map.of()).get("items")).stream()
                .filter(i -> title.equals(i.get("title")) || (i.get("title") instanceof Map<?, ?> t && title.equals(t.get("text"))))
                .count();
    }

    @Test
    void writeWhenDeadlinePassedBeforeItArrivesThen504AndNothingWritten() {
        var p = fixtures().project();
        var r = createItem(p, "arrived late", Long.toString(System.currentTimeMillis() - 1));
        assertEquals(504, r.status(), r.body().toString());
        assertEquals("deadline_passed", r.body().get("error"));
        assertEquals(0, itemsTitled(p, "arrived late"));
    }

    @Test
    void writeWhenDeadlineAheadThenRunsAsUsual() {
        var p = fixtures().project();
        var r = createItem(p, "in time", Long.toString(System.currentTimeMillis() + 60_000));
        assertEquals(200, r.status(), r.body().toString());
        assertEquals(1, itemsTitled(p, "in time"));
    }

    @Test
    void writeWhenDeadlineMalformedThen400AndNothingWritten() {
        var p = fixtures().project();
        var r = createItem(p, "bad deadline", "tomorrow");
        assertEquals(400, r.status(), r.body().toString());
        assertEquals(0, itemsTitled(p, "bad deadline"));
    }
}
