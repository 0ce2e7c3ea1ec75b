-- A grant (and the code that creates it) is bound to one MCP endpoint: a project's (/p/{id}/mcp, project_id set) or
-- a workspace's (/w/{id}/mcp, project_id null, workspace_id set). The resource column holds the endpoint URL either way.
alter table grants alter column project_id drop not null;
alter table authorization_codes alter column project_id drop not null;
alter table grants add constraint grants_bound_to_an_endpoint check (project_id is not null or workspace_id is not null);
alter table authorization_codes add constraint codes_bound_to_an_endpoint check (project_id is not null or workspace_id is not null);
