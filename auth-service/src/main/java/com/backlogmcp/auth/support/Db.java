package com.backlogmcp.auth.support;

import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.jdbc.runtime.PreparedStatementCallback;
import jakarta.inject.Singleton;

import java.sql.Connection;

/**
 * Plain SQL: joins the surrounding transaction when there is one, otherwise runs on its own connection in autocommit.
 * Revocations run in a transaction of their own ({@code GrantRevocations}), apart from the token request that may be
 * failing, so that request cannot roll them back; their outbox row commits with them.
 */
@Singleton
public class Db {

    private final JdbcOperations jdbc;
    private final ConnectionOperations<Connection> connections;

    Db(JdbcOperations jdbc, ConnectionOperations<Connection> connections) {
        this.jdbc = jdbc;
        this.connections = connections;
    }

    public <R> R prepareStatement(String sql, PreparedStatementCallback<R> callback) {
        return connections.executeWrite(status -> jdbc.prepareStatement(sql, callback));
    }
}
