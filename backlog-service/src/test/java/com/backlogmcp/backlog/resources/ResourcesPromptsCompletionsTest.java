package com.backlogmcp.backlog.resources;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.TestStack;
import com.backlogmcp.backlog.support.Json;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResourcesPromptsCompletionsTest implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TransactionOperations<Connection> tx;

    Fixtures.TestProject p;
    Fixtures.TestProject other;
    String itemId;
    String otherItem;

    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    @BeforeAll
    void data() {
        p = new Fixtures(tx).project();
        other = new Fixtures(tx).project();
        itemId = created(p, Map.of("title", "Checkout button misaligned", "type", "bug_report"));
        created(p, Map.of("title", "Old open thing"));
        otherItem = created(other, Map.of("title", "Secret other project item"));
        new Internal(client).tool("create_release", p.projectId(), p.member(), Map.of("name", "v9", "status", "in_progress"));
        new Internal(client).tool("link_external_task", p.projectId(), p.member(), Map.of("itemId", itemId, "system", "github", "externalId", "9"));
        new Internal(client).tool("add_comment", p.projectId(), p.member(), Map.of("itemId", itemId, "body", "Seen on Safari too"));
        new Internal(client).tool("add_comment", p.projectId(), p.member(), Map.of("itemId", itemId, "body", "Fixed by the grid change"));
    }

    @SuppressWarnings("unchecked")
    String created(Fixtures.TestProject project, Map<String, Object> args) {
        var r = new Internal(client).tool("create_item", project.projectId(), project.member(), args);
        return (String) ((Map<String, Object>) r.content().get("item")).get("id");
    }

    Internal.Reply read(String uri, String user) {
        return new Internal(client).post("/internal/resources/read",
                Json.write(Map.of("projectId", p.projectId(), "userId", user, "uri", uri)));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> contentOf(Internal.Reply r) throws Exception {
        assertEquals(200, r.status(), r.body().toString());
        var contents = (List<Map<String, Object>>) r.body().get("contents");
        assertEquals("application/json", contents.get(0).get("mimeType"));
        return Json.map(Json.parse((String) contents.get(0).get("text")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void resourcesReadWhenEachCatalogUriThenJsonContent() throws Exception {
        String base = "backlog://projects/" + p.projectId();
        assertEquals(p.projectId(), ((Map<?, ?>) contentOf(read(base, p.viewer())).get("project")).get("id"));
        assertEquals(2, ((List<?>) contentOf(read(base + "/items", p.viewer())).get("items")).size());
        assertEquals(1, ((List<?>) contentOf(read(base + "/releases", p.viewer())).get("releases")).size());
        assertEquals(1, ((List<?>) contentOf(read(base + "/task-mappings", p.viewer())).get("mappings")).size());
        var item = (Map<?, ?>) contentOf(read("backlog://items/" + itemId, p.viewer())).get("item");
        assertEquals(itemId, item.get("id"));
        var comments = (List<Map<String, Object>>) item.get("comments");
        assertEquals(List.of("Seen on Safari too", "Fixed by the grid change"),
                comments.stream().map(c -> (String) ((Map<?, ?>) c.get("body")).get("text")).toList());
        assertEquals(true, ((Map<?, ?>) comments.get(0).get("body")).get("untrusted"));
        assertEquals(2, ((Number) item.get("commentCount")).intValue());
    }

    @Test
    void resourcesReadWhenUriOfAnotherProjectThenNotFound() {
        assertEquals(404, read("backlog://items/" + otherItem, p.viewer()).status());
        assertEquals(404, read("backlog://projects/" + other.projectId(), p.viewer()).status());
        assertEquals(404, read("backlog://nonsense", p.viewer()).status());
    }

    @Test
    void resourcesReadWhenNotAMemberThen403NotAMember() {
        var r = read("backlog://projects/" + p.projectId(), p.outsider());
        assertEquals(403, r.status());
        assertEquals("NOT_A_MEMBER", r.body().get("error_type"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void promptWhenSummariseThenLiveCountsActiveReleaseAndOldestOpenItems() {
        var r = new Internal(client).post("/internal/prompts/summarise_project_status",
                Json.write(Map.of("projectId", p.projectId(), "userId", p.viewer(), "arguments", Map.of("audience", "stakeholders"))));
        assertEquals(200, r.status(), r.body().toString());
        var messages = (List<Map<String, Object>>) r.body().get("messages");
        String text = (String) ((Map<String, Object>) messages.get(0).get("content")).get("text");
        assertEquals("user", messages.get(0).get("role"));
        assertTrue(text.contains("stakeholders"));
        assertTrue(text.contains("\"totalItems\":2"), text);
        assertTrue(text.contains("v9"), text);
        assertTrue(text.contains("Checkout button misaligned"), text);
        assertTrue(text.contains("\"untrusted\":true"), text);
    }

    @Test
    @SuppressWarnings("unchecked")
    void promptWhenCreateIssueFromContextThenContextWrappedAsUntrusted() {
        var r = new Internal(client).post("/internal/prompts/create_issue_from_context",
                Json.write(Map.of("projectId", p.projectId(), "userId", p.member(),
                        "arguments", Map.of("context", "Stack trace: NPE in Checkout\u202E", "type", "bug_report"))));
        assertEquals(200, r.status(), r.body().toString());
        String text = (String) ((Map<String, Object>) ((List<Map<String, Object>>) r.body().get("messages")).get(0).get("content")).get("text");
        assertTrue(text.contains("{\"context\":{\"untrusted\":true,\"text\":\"Stack trace: NPE in Checkout\"}}"), text);
        assertTrue(text.contains("search"), text);
    }

    @Test
    void promptWhenTriageInboxAsViewerThenForbiddenAndBadArgumentThen400() {
        var viewer = new Internal(client).post("/internal/prompts/triage_inbox",
                Json.write(Map.of("projectId", p.projectId(), "userId", p.viewer())));
        assertEquals(403, viewer.status());
        assertEquals("FORBIDDEN", viewer.body().get("error_type"));
        var bad = new Internal(client).post("/internal/prompts/triage_inbox",
                Json.write(Map.of("projectId", p.projectId(), "userId", p.member(), "arguments", Map.of("limit", "99"))));
        assertEquals(400, bad.status());
        var ok = new Internal(client).post("/internal/prompts/triage_inbox",
                Json.write(Map.of("projectId", p.projectId(), "userId", p.member(), "arguments", Map.of("limit", "5"))));
        assertEquals(200, ok.status());
    }

    @Test
    @SuppressWarnings("unchecked")
    void completionWhenItemTemplateThenOnlyThisProjectsItems() {
        var r = new Internal(client).post("/internal/completions", Json.write(Map.of("projectId", p.projectId(),
                "userId", p.viewer(), "ref", Map.of("type", "ref/resource", "uri", "backlog://items/{id}"),
                "argument", Map.of("name", "id", "value", "checkout"))));
        assertEquals(200, r.status(), r.body().toString());
        assertEquals(List.of(itemId), r.body().get("values"));
        var all = new Internal(client).post("/internal/completions", Json.write(Map.of("projectId", p.projectId(),
                "userId", p.viewer(), "ref", Map.of("type", "ref/resource", "uri", "backlog://items/{id}"),
                "argument", Map.of("name", "id", "value", "itm_"))));
        assertEquals(2, ((List<String>) all.body().get("values")).size());
        assertEquals(false, all.body().get("hasMore"));
    }

    @Test
    void completionWhenPromptArgumentThenMatchingValues() {
        var r = new Internal(client).post("/internal/completions", Json.write(Map.of("projectId", p.projectId(),
                "userId", p.viewer(), "ref", Map.of("type", "ref/prompt", "name", "create_issue_from_context"),
                "argument", Map.of("name", "type", "value", "b"))));
        assertEquals(List.of("bug_report"), r.body().get("values"));
        assertEquals(1, ((Number) r.body().get("total")).intValue());
    }
}
