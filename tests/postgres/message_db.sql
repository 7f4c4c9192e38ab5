-- A faithful minimal message-db (https://github.com/message-db/message-db, v1.3):
-- the message_store schema, its messages table and indexes, and the functions a writer
-- uses (hash_64, category, acquire_lock, stream_version, write_message with the
-- expected-version check). Writes go through write_message, as in message-db.
CREATE SCHEMA message_store;

CREATE TABLE message_store.messages (
  global_position bigserial NOT NULL,
  position bigint NOT NULL,
  time TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc') NOT NULL,
  stream_name text NOT NULL,
  type text NOT NULL,
  data jsonb,
  metadata jsonb,
  id UUID NOT NULL DEFAULT gen_random_uuid()
);
ALTER TABLE message_store.messages ADD PRIMARY KEY (global_position) NOT DEFERRABLE INITIALLY IMMEDIATE;

CREATE OR REPLACE FUNCTION message_store.hash_64(value varchar) RETURNS bigint AS $$
DECLARE
  _hash bigint;
BEGIN
  SELECT left('x' || md5(hash_64.value), 17)::bit(64)::bigint INTO _hash;
  RETURN _hash;
END;
$$ LANGUAGE plpgsql IMMUTABLE;

CREATE OR REPLACE FUNCTION message_store.category(stream_name varchar) RETURNS varchar AS $$
BEGIN
  RETURN SPLIT_PART(category.stream_name, '-', 1);
END;
$$ LANGUAGE plpgsql IMMUTABLE;

CREATE OR REPLACE FUNCTION message_store.id(stream_name varchar) RETURNS varchar AS $$
DECLARE
  _id_separator_position integer;
BEGIN
  _id_separator_position := STRPOS(id.stream_name, '-');
  IF _id_separator_position = 0 THEN
    RETURN NULL;
  END IF;
  RETURN SUBSTRING(id.stream_name, _id_separator_position + 1);
END;
$$ LANGUAGE plpgsql IMMUTABLE;

CREATE UNIQUE INDEX messages_id ON message_store.messages (id);
CREATE UNIQUE INDEX messages_stream ON message_store.messages (stream_name, position);
CREATE INDEX messages_category ON message_store.messages (message_store.category(stream_name), global_position);

CREATE OR REPLACE FUNCTION message_store.acquire_lock(stream_name varchar) RETURNS bigint AS $$
DECLARE
  _category varchar;
  _category_name_hash bigint;
BEGIN
  _category := message_store.category(acquire_lock.stream_name);
  _category_name_hash := message_store.hash_64(_category);
  PERFORM pg_advisory_xact_lock(_category_name_hash);
  RETURN _category_name_hash;
END;
$$ LANGUAGE plpgsql VOLATILE;

CREATE OR REPLACE FUNCTION message_store.stream_version(stream_name varchar) RETURNS bigint AS $$
DECLARE
  _stream_version bigint;
BEGIN
  SELECT max(position) INTO _stream_version FROM message_store.messages
  WHERE messages.stream_name = stream_version.stream_name;
  RETURN _stream_version;
END;
$$ LANGUAGE plpgsql VOLATILE;

CREATE OR REPLACE FUNCTION message_store.write_message(
  id varchar, stream_name varchar, "type" varchar, data jsonb,
  metadata jsonb DEFAULT NULL, expected_version bigint DEFAULT NULL
) RETURNS bigint AS $$
DECLARE
  _message_id uuid;
  _stream_version bigint;
  _next_position bigint;
BEGIN
  PERFORM message_store.acquire_lock(write_message.stream_name);
  _stream_version := message_store.stream_version(write_message.stream_name);
  IF _stream_version IS NULL THEN
    _stream_version := -1;
  END IF;
  IF write_message.expected_version IS NOT NULL THEN
    IF write_message.expected_version != _stream_version THEN
      RAISE EXCEPTION 'Wrong expected version: % (Stream: %, Stream Version: %)',
        write_message.expected_version, write_message.stream_name, _stream_version;
    END IF;
  END IF;
  _next_position := _stream_version + 1;
  _message_id = uuid(write_message.id);
  INSERT INTO message_store.messages (id, stream_name, position, type, data, metadata)
  VALUES (_message_id, write_message.stream_name, _next_position, write_message.type,
          write_message.data, write_message.metadata);
  RETURN _next_position;
END;
$$ LANGUAGE plpgsql VOLATILE;
