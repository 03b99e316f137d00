-- about: AND / OR / NOT over boolean columns and comparisons, incl. IS TRUE / IS NOT FALSE
-- expect: satisfiable
-- classification: exact=3 string=0 opaque=0
CREATE TABLE t (
    active boolean NOT NULL,
    verified boolean,
    qty integer NOT NULL,
    CONSTRAINT active_needs_qty CHECK (NOT active OR qty > 0),
    CONSTRAINT not_both CHECK (NOT (active AND qty > 400)),
    CONSTRAINT verified_truth CHECK ((verified IS NOT FALSE) OR (qty < 0 AND NOT active))
);
