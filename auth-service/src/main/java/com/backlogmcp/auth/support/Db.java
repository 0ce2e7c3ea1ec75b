package com.backlogmcp.auth.support;

import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.jdbc.runtime.PreparedStatementCallback;
import jakarta.inject.Singleton;

import java.sql.Connection;

/**
 * Plain SQL: joins the surrounding transaction when there is one, otherwise runs on its own connection in autocommit.
 * Revocations deliberately run outside a transaction so a failing token request cannot roll them back.
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
