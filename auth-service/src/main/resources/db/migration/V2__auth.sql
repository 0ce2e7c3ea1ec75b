-- Users and browser sessions. Session ids are stored only as SHA-256.
create table users (
    id             text primary key,
    email          text not null unique,
    display_name   text not null,
    password_hash  text not null,
    platform_admin boolean not null default false,
    created_at     timestamptz not null default now()
);

create table sessions (
    id_hash    text primary key,
    user_id    text not null references users (id) on delete cascade,
    csrf_token text not null,
    created_at timestamptz not null,
    expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);

-- Failed logins, counted per account and per address over a sliding window.
create table login_failures (
    id      bigserial primary key,
    account text not null,
    address text not null,
    at      timestamptz not null
);
create index login_failures_account_idx on login_failures (account, at);
create index login_failures_address_idx on login_failures (address, at);

-- Registered clients (dynamic registration or pre-registered by an admin). CIMD clients are fetched, not stored.
create table clients (
    client_id                  text primary key,
    secret_hash                text,
    token_endpoint_auth_method text not null,
    redirect_uris              text not null,
    client_name                text,
    metadata                   text not null,
    source                     text not null,
    created_at                 timestamptz not null
);

-- A grant is what a user approved for one client on one MCP endpoint; tokens hang off it.
create table grants (
    id            text primary key,
    user_id       text not null,
    client_id     text not null,
    project_id    text not null,
    workspace_id  text,
    resource      text not null,
    scope         text not null,
    redirect_uri  text not null,
    created_at    timestamptz not null,
    revoked_at    timestamptz,
    revoke_reason text
);
create index grants_user_idx on grants (user_id);

create table authorization_codes (
    code_hash      text primary key,
    client_id      text not null,
    user_id        text not null,
    redirect_uri   text not null,
    code_challenge text not null,
    resource       text not null,
    project_id     text not null,
    workspace_id   text,
    scope          text not null,
    created_at     timestamptz not null,
    expires_at     timestamptz not null,
    used_at        timestamptz,
    grant_id       text
);

create table refresh_tokens (
    token_hash text primary key,
    grant_id   text not null references grants (id),
    client_id  text not null,
    resource   text not null,
    scope      text not null,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    rotated_at timestamptz
);
create index refresh_tokens_grant_idx on refresh_tokens (grant_id);

create table api_keys (
    id           text primary key,
    secret_hash  text not null unique,
    hint         text not null,
    user_id      text not null,
    name         text not null,
    workspace_id text,
    project_id   text,
    scope        text not null,
    created_at   timestamptz not null,
    revoked_at   timestamptz
);
create index api_keys_user_idx on api_keys (user_id);

-- ES256 signing keys; the private half is AES-GCM encrypted with AUTH_KEY_ENCRYPTION_SECRET.
create table signing_keys (
    kid                   text primary key,
    public_jwk            text not null,
    private_jwk_encrypted bytea not null,
    created_at            timestamptz not null,
    status                text not null
);
create unique index signing_keys_one_current on signing_keys (status) where status = 'current';
