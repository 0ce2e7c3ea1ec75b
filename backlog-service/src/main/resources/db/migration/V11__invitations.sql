-- An invitation is a membership waiting for a person who has no account yet, known only by email. backlog-service
-- owns memberships, so it owns these too; auth-service owns users and their emails and turns an invitation into a
-- membership by telling us who signed in (POST /internal/invitations/claim).
-- The link's token is a one-time credential: only its SHA-256 is stored, and it stops working once the invitation
-- is accepted, revoked or past expires_at.
CREATE TABLE invitations (
    id            text        PRIMARY KEY,
    project_id    text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    email         text        NOT NULL CHECK (email = lower(email) AND char_length(email) BETWEEN 3 AND 320),
    role          text        NOT NULL CHECK (role IN ('viewer', 'member', 'admin', 'owner')),
    display_name  text,
    token_hash    text        NOT NULL UNIQUE,
    invited_by    text        NOT NULL,
    status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked', 'expired')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    accepted_by   text,
    accepted_at   timestamptz
);
-- One open invitation per person and project: inviting twice is a conflict, not a second credential.
CREATE UNIQUE INDEX invitations_one_pending ON invitations (project_id, email) WHERE status = 'pending';
CREATE INDEX invitations_claim ON invitations (email) WHERE status = 'pending';
CREATE INDEX invitations_sent ON invitations (invited_by, created_at DESC);
