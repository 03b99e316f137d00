-- about: POSIX regular expressions: ~, ~* and !~, classes (\d, [[:alpha:]]) and an unanchored alternation
-- expect: satisfiable
-- classification: exact=0 string=6 opaque=0
CREATE TABLE t (
    code text NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    ssn text NOT NULL,
    word text NOT NULL,
    blurb text NOT NULL,
    CONSTRAINT code_regex CHECK (code ~ '^[A-Z]{3}[0-9]{0,5}$'),
    CONSTRAINT slug_regex_ci CHECK (slug ~* '^[a-z]+(-[a-z0-9]+)*$'),
    CONSTRAINT name_no_digits CHECK (name !~ '[0-9]'),
    CONSTRAINT ssn_digits CHECK (ssn ~ '^\d{3}-\d{2}$'),
    CONSTRAINT word_alpha CHECK (word ~ '^[[:alpha:]]+$'),
    CONSTRAINT blurb_contains CHECK (blurb ~ 'abc|xyz')
);
