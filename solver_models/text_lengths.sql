-- about: char_length and length of text columns (string); octet_length counts bytes, so PostgreSQL judges it (opaque)
-- expect: satisfiable
-- classification: exact=0 string=2 opaque=1
CREATE TABLE t (
    code text NOT NULL,
    note text,
    tag varchar(12) NOT NULL,
    CONSTRAINT code_length CHECK (char_length(code) BETWEEN 3 AND 8),
    CONSTRAINT note_length CHECK (length(note) < 30),
    CONSTRAINT tag_octets CHECK (octet_length(tag) >= 4)
);
