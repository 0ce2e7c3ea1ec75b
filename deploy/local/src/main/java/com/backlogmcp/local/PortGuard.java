package com.backlogmcp.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/** Checks, before anything starts, that every port the stack needs is free, naming the first one that is not. */
final class PortGuard {

    private PortGuard() {
    }

    static void requireFree(StackSettings s) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("MCP_PORT", s.mcpPort());
        ports.put("AUTH_PORT", s.authPort());
        ports.put("BACKLOG_PORT", s.backlogPort());
        ports.put("AUDIT_PORT", s.auditPort());
        ports.put("POSTGRES_PORT", s.postgresPort());
        ports.put("KAFKA_PORT", s.kafkaPort());
        ports.put("KAFKA_CONTROLLER_PORT", s.kafkaControllerPort());
        Map<Integer, String> seen = new LinkedHashMap<>();
        for (var e : ports.entrySet()) {
            String other = seen.putIfAbsent(e.getValue(), e.getKey());
            if (other != null) {
                throw new StackException("port " + e.getValue() + " is configured twice (" + other + " and " + e.getKey() + ")");
            }
            if (!isFree(e.getValue())) {
                throw new StackException("port " + e.getValue() + " (" + e.getKey() + ") is already in use; stop what holds it or set "
                        + e.getKey() + " to another port");
            }
        }
    }

    static boolean isFree(int port) {
        // Bind on the wildcard address like the services do, so a listener on any interface counts as taken.
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress((InetAddress) null, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
