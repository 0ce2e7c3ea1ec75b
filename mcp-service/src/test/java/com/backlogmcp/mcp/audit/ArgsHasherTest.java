package com.backlogmcp.mcp.audit;

import com.backlogmcp.mcp.TestStack;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

public class ArgsHasherTest {

    private final ArgsHasher hasher = new ArgsHasher(JsonMapper.createDefault(), config(TestStack.ARGS_HASH_SECRET));

    public static EdgeConfiguration config(String secret) {
        return new EdgeConfiguration("https://mcp.test", "https://auth.test", "http://127.0.0.1:1", List.of(), 50,
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofSeconds(10),
                Duration.ofSeconds(3), secret, 10, Duration.ofMinutes(20));
    }

    /** HMAC-SHA256 under the test secret of an already canonical JSON text. */
    public static String expected(String canonicalJson) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(TestStack.ARGS_HASH_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(canonicalJson.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void hashWhenKeysInAnyOrderThenSameCanonicalHash() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", "x");
        ab.put("b", 2);
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", 2);
        ba.put("a", "x");
        assertEquals(hasher.hash(ab), hasher.hash(ba));
        assertEquals(expected("{\"a\":\"x\",\"b\":2}"), hasher.hash(ab));
    }

    @Test
    void hashWhenNumbersSpelledDifferentlyThenRfc8785Normalises() {
        assertEquals(hasher.hash(Map.of("n", 1.0)), hasher.hash(Map.of("n", 1)));
        assertEquals(expected("{\"n\":100}"), hasher.hash(Map.of("n", 1e2)));
    }

    @Test
    void hashWhenSecretDiffersThenHashDiffers() {
        ArgsHasher other = new ArgsHasher(JsonMapper.createDefault(), config("another-secret-that-is-long-enough-1234"));
        assertNotEquals(hasher.hash(Map.of("id", "itm_1")), other.hash(Map.of("id", "itm_1")));
    }

    @Test
    void hashWhenNoArgumentsThenHashOfEmptyObject() {
        assertEquals(expected("{}"), hasher.hash(null));
    }

    @Test
    void secretWhenShorterThan32BytesThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ArgsHasher(JsonMapper.createDefault(), config("short")));
    }
}
