package com.backlogmcp.backlog.tools;

import com.backlogmcp.contracts.internal.Catalog;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** {@code GET /internal/catalog}: every tool, resource, resource template and prompt, as data. */
@Controller("/internal/catalog")
final class CatalogController {

    private final ToolCatalog catalog;

    CatalogController(ToolCatalog catalog) {
        this.catalog = catalog;
    }

    @Get
    Catalog catalog() {
        return catalog.wire();
    }
}
