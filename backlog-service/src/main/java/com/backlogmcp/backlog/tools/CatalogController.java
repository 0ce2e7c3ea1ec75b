package com.backlogmcp.backlog.tools;

import com.backlogmcp.contracts.internal.Catalog;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.QueryValue;
import java.util.Map;
import io.micronaut.http.annotation.Get;

/**
 * {@code GET /internal/catalog[?view=project|workspace]}: every tool, resource, resource template and prompt, as
 * data, for a project endpoint (default) or a workspace endpoint.
 */
@Controller("/internal/catalog")
final class CatalogController {

    private final ToolCatalog catalog;

    CatalogController(ToolCatalog catalog) {
        this.catalog = catalog;
    }

    /** {@code ?view=workspace}: what a workspace endpoint offers ({@link ToolCatalog#workspaceWire()}). */
    @Get
    HttpResponse<?> catalog(@Nullable @QueryValue String view) {
        if (view == null || view.equals("project")) {
            return HttpResponse.ok(catalog.wire());
        }
        if (view.equals("workspace")) {
            return HttpResponse.ok(catalog.workspaceWire());
        }
        return HttpResponse.badRequest(Map.of("error", "invalid_request", "message", "view is project or workspace"));
    }
}
