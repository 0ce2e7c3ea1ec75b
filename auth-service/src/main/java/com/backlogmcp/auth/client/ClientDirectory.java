package com.backlogmcp.auth.client;

import jakarta.inject.Singleton;

import java.util.Optional;

/** Finds a client by id: an https {@code client_id} is a metadata document, anything else a registered client. */
@Singleton
public class ClientDirectory {

    /** A client id that could not be resolved, with the reason to show (never redirected to the client). */
    public record Lookup(Optional<RegisteredClient> client, String problem) {
    }

    private final ClientStore store;
    private final ClientMetadataDocuments documents;

    ClientDirectory(ClientStore store, ClientMetadataDocuments documents) {
        this.store = store;
        this.documents = documents;
    }

    public Lookup lookup(String clientId) {
        if (clientId == null || clientId.isBlank()) {
            return new Lookup(Optional.empty(), "The request has no client_id.");
        }
        if (ClientMetadataDocuments.isMetadataDocumentId(clientId)) {
            try {
                return new Lookup(Optional.of(documents.resolve(clientId)), null);
            } catch (ClientMetadataDocuments.InvalidDocument e) {
                return new Lookup(Optional.empty(), e.getMessage());
            }
        }
        return store.find(clientId).map(c -> new Lookup(Optional.of(c), null))
                .orElseGet(() -> new Lookup(Optional.empty(), "Unknown client_id."));
    }

    public Optional<RegisteredClient> find(String clientId) {
        return lookup(clientId).client();
    }
}
