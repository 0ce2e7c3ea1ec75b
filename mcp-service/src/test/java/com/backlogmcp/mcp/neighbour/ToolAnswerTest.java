package com.backlogmcp.mcp.neighbour;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.ToolCallResult;
import com.backlogmcp.contracts.internal.WorkspaceAccess;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolAnswerTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static final AuthzContext CONTEXT = new AuthzContext("prj_a", "A", "ws_a", "Acme", "business", true, false, "member");

    @Test
    void readWhenBacklogServiceEncodedAResultThenKeepsTheOutputBytesAndReadsTheRest() throws Exception {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("item", Map.of("id", "itm_1", "title", "Ünïcode \"quoted\" / slash </script>", "n", 12.5));
        output.put("list", List.of(1, 2, 3));
        byte[] wire = JSON.writeValueAsBytes(new ToolCallResult(false, output).decidedOn(CONTEXT, true));

        ToolAnswer answer = ToolAnswer.read(wire, JSON);

        assertFalse(answer.isError());
        assertEquals(Boolean.TRUE, answer.admitted());
        assertEquals(CONTEXT, answer.authz());
        assertArrayEquals(JSON.writeValueAsBytes(output), answer.structuredJson());
        assertEquals(JSON.readValue(JSON.writeValueAsBytes(output), Map.class), answer.structuredContent());
    }

    @Test
    void readWhenMembersComeInAnotherOrderOrUnknownOnesThenSameAnswer() {
        String wire = """
                {"future":{"a":[1,{"b":2}]},"authz":null,"structuredContent":{"error_type":"NOT_A_MEMBER","message":"no"},
                 "admitted":false,"isError":true}""";

        ToolAnswer answer = ToolAnswer.read(wire.getBytes(StandardCharsets.UTF_8), JSON);

        assertTrue(answer.isError());
        assertEquals(Boolean.FALSE, answer.admitted());
        assertNull(answer.authz());
        assertEquals("{\"error_type\":\"NOT_A_MEMBER\",\"message\":\"no\"}", new String(answer.structuredJson(), StandardCharsets.UTF_8));
        assertEquals("NOT_A_MEMBER", answer.structuredContent().get("error_type"));
    }

    @Test
    void readWhenACallAcrossAWorkspaceThenTheWorkspaceAccessItWasDecidedOn() throws Exception {
        WorkspaceAccess access = new WorkspaceAccess("ws_a", "Acme", "business", true, false,
                List.of(new WorkspaceAccess.MemberProject("prj_a", "A", "member"), new WorkspaceAccess.MemberProject("prj_b", "B", "viewer")));
        byte[] wire = JSON.writeValueAsBytes(new ToolCallResult(false, Map.of("projects", List.of())).decidedAcross(access, true));

        ToolAnswer answer = ToolAnswer.read(wire, JSON);

        assertEquals(Boolean.TRUE, answer.admitted());
        assertNull(answer.authz());
        assertEquals(access, answer.workspace());
        assertNull(ToolAnswer.read("{\"admitted\":false,\"workspace\":null}".getBytes(StandardCharsets.UTF_8), JSON).workspace(),
                "no such workspace");
        WorkspaceAccess none = ToolAnswer.read(("{\"admitted\":false,\"workspace\":{\"workspaceId\":\"ws_a\",\"workspaceName\":\"Acme\","
                + "\"plan\":\"free\",\"mcpEnabled\":true}}").getBytes(StandardCharsets.UTF_8), JSON).workspace();
        assertEquals(List.of(), none.projects(), "an empty project list is left out on the wire: a member of none");
        assertTrue(none.highestRole().isEmpty());
        assertFalse(none.suspended());
        assertThrows(IllegalArgumentException.class,
                () -> ToolAnswer.read("{\"workspace\":[]}".getBytes(StandardCharsets.UTF_8), JSON));
    }

    @Test
    void readWhenAnOlderBacklogServiceSaysNothingOfItsContextThenAdmittedIsUnknown() {
        ToolAnswer answer = ToolAnswer.read("{\"isError\":false,\"structuredContent\":{}}".getBytes(StandardCharsets.UTF_8), JSON);

        assertNull(answer.admitted());
        assertNull(answer.authz());
        assertEquals(Map.of(), answer.structuredContent());
    }

    @Test
    void readWhenOutputIsMissingOrNullThenItIsEmpty() {
        assertEquals("{}", new String(ToolAnswer.read("{\"isError\":false}".getBytes(StandardCharsets.UTF_8), JSON).structuredJson(),
                StandardCharsets.UTF_8));
        assertEquals("{}", new String(ToolAnswer.read("{\"structuredContent\":null}".getBytes(StandardCharsets.UTF_8), JSON).structuredJson(),
                StandardCharsets.UTF_8));
    }

    @Test
    void readWhenTheAnswerIsNotAToolAnswerThenRefused() {
        for (String wire : List.of("", "[]", "{\"structuredContent\":[1]}", "{\"structuredContent\":{\"a\":", "{\"authz\":\"x\"}",
                "{\"authz\":{\"plan\":[]},\"structuredContent\":{}}")) {
            assertThrows(IllegalArgumentException.class, () -> ToolAnswer.read(wire.getBytes(StandardCharsets.UTF_8), JSON), wire);
        }
    }
}
