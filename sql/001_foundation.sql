-- The schema and the record of applied migrations.
-- tuki migrate runs each file in one transaction and inserts the file's row into
-- tuki.schema_version itself, so no migration writes to that table.
CREATE SCHEMA tuki;
COMMENT ON SCHEMA tuki IS 'tuki support desk: tickets, SLA clocks and their rules. See tuki-schema(7).';

CREATE TABLE tuki.schema_version (
    version    integer PRIMARY KEY CHECK (version > 0),
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE tuki.schema_version IS 'One row per applied migration file sql/NNN_name.sql; the console refuses a schema newer than it knows, or one whose applied files differ from its own.';
COMMENT ON COLUMN tuki.schema_version.version IS 'NNN of the migration file.';
COMMENT ON COLUMN tuki.schema_version.name IS 'File name of the migration, e.g. 001_foundation.sql.';
COMMENT ON COLUMN tuki.schema_version.checksum IS 'MD5 of the file''s text as applied: tuki migrate and the console refuse a database whose applied files differ from the ones the binary carries (a database made by another build).';
COMMENT ON COLUMN tuki.schema_version.applied_at IS 'When tuki migrate applied it.';
COMMENT ON COLUMN tuki.schema_version.applied_by IS 'The login role that ran tuki migrate.';
