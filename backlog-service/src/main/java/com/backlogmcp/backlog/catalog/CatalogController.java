package com.backlogmcp.backlog.catalog;

import com.backlogmcp.contracts.internal.Catalog;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.List;

/** The tool catalog the edge serves from (placeholder until the catalog lands). */
@Controller("/internal/catalog")
final class CatalogController {

    @Get
    Catalog catalog() {
        return new Catalog("0", List.of(), List.of(), List.of(), List.of());
    }
}
