-- The backlog domain (DESIGN §1, §5). Ids are opaque prefixed strings (wrk_…, prj_…, itm_…) so a caller can never
-- guess a neighbour's id from its own, and every child row carries project_id so one predicate binds an id to a project.

CREATE TABLE workspaces (
    id           text PRIMARY KEY,
    name         text        NOT NULL,
    plan         text        NOT NULL CHECK (plan IN ('free', 'pro', 'business', 'enterprise')),
    mcp_enabled  boolean     NOT NULL DEFAULT false,
    suspended    boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE projects (
    id            text PRIMARY KEY,
    workspace_id  text        NOT NULL REFERENCES workspaces (id),
    name          text        NOT NULL,
    description   text,
    item_seq      bigint      NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_workspace ON projects (workspace_id);

-- Each project may rename its statuses; the five categories themselves are fixed.
CREATE TABLE project_statuses (
    project_id  text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    category    text NOT NULL CHECK (category IN ('open', 'planned', 'in_progress', 'done', 'cancelled')),
    name        text NOT NULL,
    PRIMARY KEY (project_id, category)
);

CREATE TABLE members (
    project_id    text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id       text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('viewer', 'member', 'admin', 'owner')),
    display_name  text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, user_id)
);
-- The authorization look-up is one probe of the primary key; this one serves "my projects".
CREATE INDEX members_user ON members (user_id);

CREATE TABLE releases (
    id           text PRIMARY KEY,
    project_id   text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    description  text,
    status       text        NOT NULL CHECK (status IN ('planned', 'in_progress', 'released')),
    target_date  date,
    released_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, id)
);
CREATE INDEX releases_page ON releases (project_id, created_at DESC, id DESC);

CREATE TABLE items (
    id            text PRIMARY KEY,
    project_id    text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    number        bigint      NOT NULL,
    type          text        NOT NULL CHECK (type IN ('feature_request', 'bug_report', 'task', 'feedback', 'documentation',
                                                       'security', 'ci_cd', 'platform_infrastructure')),
    title         text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 500),
    description   text        CHECK (char_length(description) <= 50000),
    status        text        NOT NULL CHECK (status IN ('open', 'planned', 'in_progress', 'done', 'cancelled')),
    priority      text        NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    assignee_id   text,
    owner_ids     text[]      NOT NULL DEFAULT '{}',
    labels        text[]      NOT NULL DEFAULT '{}',
    parent_id     text,
    release_id    text,
    reporter_id   text,
    completed_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       bigint      NOT NULL DEFAULT 1,
    search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED,
    UNIQUE (project_id, number),
    UNIQUE (project_id, id),
    -- Parent and release must live in the same project: the composite keys make that a database fact.
    FOREIGN KEY (project_id, parent_id) REFERENCES items (project_id, id),
    FOREIGN KEY (project_id, release_id) REFERENCES releases (project_id, id)
);
-- Keyset pagination of list_items: newest-updated first, id as the tie-breaker.
CREATE INDEX items_page ON items (project_id, updated_at DESC, id DESC);
CREATE INDEX items_parent ON items (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX items_release ON items (release_id) WHERE release_id IS NOT NULL;
CREATE INDEX items_labels ON items USING gin (labels);
CREATE INDEX items_search ON items USING gin (search_vector);

-- The sort key an item had before each change, so a list_items cursor can page a stable snapshot: an item
-- updated while someone pages keeps the position it had when paging began (neither skipped nor repeated).
-- Rows older than the cursor lifetime are pruned.
CREATE TABLE item_sort_history (
    item_id         text        NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    changed_at      timestamptz NOT NULL,
    old_updated_at  timestamptz NOT NULL
);
CREATE INDEX item_sort_history_item ON item_sort_history (item_id, changed_at);
CREATE INDEX item_sort_history_age ON item_sort_history (changed_at);

CREATE TABLE comments (
    id             text PRIMARY KEY,
    project_id     text        NOT NULL,
    item_id        text        NOT NULL,
    author_id      text        NOT NULL,
    body           text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 20000),
    created_at     timestamptz NOT NULL DEFAULT now(),
    search_vector  tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED,
    FOREIGN KEY (project_id, item_id) REFERENCES items (project_id, id) ON DELETE CASCADE
);
CREATE INDEX comments_page ON comments (item_id, created_at, id);
CREATE INDEX comments_search ON comments USING gin (search_vector);
CREATE INDEX comments_project ON comments (project_id);

-- Internal notes: team-only, never shown to end users, never part of search.
CREATE TABLE notes (
    id          text PRIMARY KEY,
    project_id  text        NOT NULL,
    item_id     text        NOT NULL,
    author_id   text        NOT NULL,
    body        text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 20000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (project_id, item_id) REFERENCES items (project_id, id) ON DELETE CASCADE
);
CREATE INDEX notes_page ON notes (item_id, created_at, id);

CREATE TABLE conversations (
    id               text PRIMARY KEY,
    project_id       text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    subject          text        NOT NULL,
    requester_name   text,
    requester_email  text,
    status           text        NOT NULL CHECK (status IN ('open', 'closed')),
    closed_at        timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_page ON conversations (project_id, updated_at DESC, id DESC);

CREATE TABLE conversation_messages (
    id               text PRIMARY KEY,
    conversation_id  text        NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    author_kind      text        NOT NULL CHECK (author_kind IN ('requester', 'team')),
    author_id        text,
    body             text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 20000),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_messages_page ON conversation_messages (conversation_id, created_at, id);

CREATE TABLE announcements (
    id          text PRIMARY KEY,
    project_id  text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title       text        NOT NULL,
    body        text        NOT NULL,
    author_id   text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX announcements_page ON announcements (project_id, created_at DESC, id DESC);

-- One widget document per project, validated against the published widget JSON Schema before it is stored.
CREATE TABLE widget_configs (
    project_id  text PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    config      jsonb       NOT NULL,
    version     bigint      NOT NULL DEFAULT 1,
    updated_by  text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE external_mappings (
    id           text PRIMARY KEY,
    project_id   text        NOT NULL,
    item_id      text        NOT NULL,
    system       text        NOT NULL,
    external_id  text        NOT NULL,
    ref          text,
    url          text,
    synced_at    timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, system, external_id),
    FOREIGN KEY (project_id, item_id) REFERENCES items (project_id, id) ON DELETE CASCADE
);
CREATE INDEX external_mappings_item ON external_mappings (item_id);
CREATE INDEX external_mappings_page ON external_mappings (project_id, created_at DESC, id DESC);

-- Transactional outbox: a change and its event commit together; the relay publishes after commit and marks the row.
CREATE TABLE outbox (
    seq           bigserial PRIMARY KEY,
    event_id      text        NOT NULL UNIQUE,
    topic         text        NOT NULL,
    event_key     text        NOT NULL,
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;
