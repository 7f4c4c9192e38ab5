-- Marten-shaped event tables (Marten 7/8 with metadata columns enabled): mt_streams,
-- mt_events with seq_id from mt_events_sequence, the optional metadata columns and the
-- is_skipped / is_archived flags, and mt_event_progression for the HighWaterMark.
-- :schema is replaced by the test; stream ids are uuid (a second fixture uses varchar).
CREATE SCHEMA IF NOT EXISTS :schema;
CREATE SEQUENCE :schema.mt_events_sequence;
CREATE TABLE :schema.mt_streams (
  id :identity NOT NULL,
  type varchar NULL,
  version bigint NULL,
  timestamp timestamptz DEFAULT (now()) NOT NULL,
  snapshot jsonb NULL,
  snapshot_version integer NULL,
  created timestamptz DEFAULT (now()) NOT NULL,
  tenant_id varchar DEFAULT '*DEFAULT*' NULL,
  is_archived bool DEFAULT FALSE NULL,
  CONSTRAINT pkey_mt_streams_id PRIMARY KEY (id)
);
CREATE TABLE :schema.mt_events (
  seq_id bigint NOT NULL DEFAULT nextval(':schema.mt_events_sequence'),
  id uuid NOT NULL,
  stream_id :identity NULL,
  version bigint NOT NULL,
  data jsonb NOT NULL,
  type varchar(500) NOT NULL,
  timestamp timestamptz DEFAULT (now()) NOT NULL,
  tenant_id varchar DEFAULT '*DEFAULT*' NULL,
  mt_dotnet_type varchar NULL,
  correlation_id varchar NULL,
  causation_id varchar NULL,
  headers jsonb NULL,
  is_archived bool DEFAULT FALSE NULL,
  is_skipped bool DEFAULT FALSE NULL,
  CONSTRAINT pkey_mt_events_seq_id PRIMARY KEY (seq_id),
  CONSTRAINT fkey_mt_events_stream_id FOREIGN KEY (stream_id) REFERENCES :schema.mt_streams(id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX pk_mt_events_stream_and_version ON :schema.mt_events (stream_id, version);
CREATE UNIQUE INDEX pk_mt_events_id_unique ON :schema.mt_events (id);
CREATE TABLE :schema.mt_event_progression (
  name varchar NOT NULL,
  last_seq_id bigint NULL,
  last_updated timestamptz DEFAULT (transaction_timestamp()) NULL,
  CONSTRAINT pk_mt_event_progression PRIMARY KEY (name)
);
