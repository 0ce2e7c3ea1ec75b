package com.backlogmcp.mcp.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * Encodes reply bodies (a JSON-RPC response, or a batch of them) for every transport. A body without {@link RawJson}
 * is encoded by the application's JSON mapper, as any other; one with it (a tool call's result) is written here on
 * Jackson's generator, which can copy already-encoded JSON into its place: the data binding cannot. Values other than
 * maps, lists, strings, numbers and booleans are still encoded by the mapper.
 */
@Singleton
public class ReplyEncoder {

    private static final JsonFactory JSON = new JsonFactory();

    private final JsonMapper json;

    public ReplyEncoder(JsonMapper json) {
        this.json = json;
    }

    public byte[] encode(Object body) throws IOException {
        if (!RawJson.within(body)) {
            return json.writeValueAsBytes(body);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            write(generator, body);
        }
        return out.toByteArray();
    }

    public String encodeToString(Object body) throws IOException {
        return new String(encode(body), StandardCharsets.UTF_8);
    }

    private void write(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case RawJson raw -> g.writeRawValue(new String(raw.bytes(), StandardCharsets.UTF_8));
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Collection<?> items -> {
                g.writeStartArray();
                for (Object item : items) {
                    write(g, item);
                }
                g.writeEndArray();
            }
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Short s -> g.writeNumber(s);
            case Byte b -> g.writeNumber(b);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case BigInteger i -> g.writeNumber(i);
            case BigDecimal d -> g.writeNumber(d);
            default -> g.writeRawValue(json.writeValueAsString(value));
        }
    }
}
