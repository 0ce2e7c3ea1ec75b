package com.backlogmcp.mcp.protocol;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplyEncoderTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();
    private final ReplyEncoder encoder = new ReplyEncoder(JSON);
    private final ToolResults results = new ToolResults(JSON);

    @Test
    void encodeWhenAToolResultCarriesRawOutputThenTheReplyIsWhatDecodingAndEncodingItWouldGive() throws Exception {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("item", Map.of("id", "itm_1", "title", "Ünïcode \"quoted\" \\ </script>\n", "ratio", 0.25));
        output.put("labels", List.of("a", "b"));
        output.put("count", 3);
        byte[] raw = JSON.writeValueAsBytes(output);
        Map<String, Object> meta = Map.of("io.modelcontextprotocol/serverInfo", Map.of("name", "backlog-mcp"));
        Map<String, Object> passedThrough = new LinkedHashMap<>(results.toolResult(new RawJson(raw), false));
        passedThrough.put("ttlMs", 1000L);
        passedThrough.put("_meta", meta);
        Map<String, Object> decoded = new LinkedHashMap<>(results.toolResult(output, false));
        decoded.put("ttlMs", 1000L);
        decoded.put("_meta", meta);

        byte[] fast = encoder.encode(JsonRpc.result(7, passedThrough));
        byte[] usual = JSON.writeValueAsBytes(JsonRpc.result(7, decoded));

        assertArrayEquals(usual, fast, () -> new String(fast, StandardCharsets.UTF_8) + "\n" + new String(usual, StandardCharsets.UTF_8));
    }

    @Test
    void encodeWhenABatchHoldsAPassedThroughResultThenEveryMemberIsWritten() throws Exception {
        byte[] raw = "{\"a\":[1,2,{\"b\":null}]}".getBytes(StandardCharsets.UTF_8);
        List<Object> batch = List.of(JsonRpc.result("x", results.toolResult(new RawJson(raw), false)),
                JsonRpc.error(2, JsonRpc.INVALID_PARAMS, "bad", Map.of("n", 5)));

        Object decoded = JSON.readValue(encoder.encode(batch), Object.class);

        assertEquals(List.of(
                Map.of("jsonrpc", "2.0", "id", "x", "result", Map.of(
                        "content", List.of(Map.of("type", "text", "text", "{\"a\":[1,2,{\"b\":null}]}")),
                        "structuredContent", JSON.readValue(raw, Object.class), "isError", false)),
                Map.of("jsonrpc", "2.0", "id", 2, "error", Map.of("code", JsonRpc.INVALID_PARAMS, "message", "bad",
                        "data", Map.of("n", 5)))), decoded);
    }

    @Test
    void encodeWhenAToolErrorThenItsErrorObjectIsTheTextBlockAsBacklogWroteIt() throws Exception {
        String raw = "{\"error_type\":\"NOT_FOUND\",\"message\":\"No item itm_9 \\\"x\\\"\",\"hint\":\"Call search\"}";

        Object decoded = JSON.readValue(encoder.encode(JsonRpc.result(3,
                results.toolResult(new RawJson(raw.getBytes(StandardCharsets.UTF_8)), true))), Object.class);

        assertEquals(Map.of("jsonrpc", "2.0", "id", 3, "result", Map.of(
                "content", List.of(Map.of("type", "text", "text", raw)), "isError", true)), decoded);
    }

    @Test
    void encodeWhenNoRawOutputThenTheMapperWritesIt() throws Exception {
        Map<String, Object> reply = JsonRpc.result(1, Map.of("tools", List.of()));
        assertArrayEquals(JSON.writeValueAsBytes(reply), encoder.encode(reply));
    }
}
