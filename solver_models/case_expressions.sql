-- about: searched CASE as a predicate with ELSE; simple CASE (CASE x WHEN v THEN ...) as a value, with and without ELSE
-- expect: satisfiable
-- classification: exact=5 string=0 opaque=0
CREATE TYPE tier AS ENUM ('bronze', 'silver', 'gold');
CREATE TABLE t (
    kind text NOT NULL,
    qty integer NOT NULL,
    level integer NOT NULL,
    tier tier NOT NULL,
    points integer NOT NULL,
    CONSTRAINT kind_set CHECK (kind IN ('small', 'large', 'other')),
    CONSTRAINT size_by_kind CHECK (
        CASE WHEN kind = 'small' THEN qty BETWEEN 1 AND 10
             WHEN kind = 'large' THEN qty > 1000
             ELSE qty = 0 END),
    CONSTRAINT level_range CHECK (level BETWEEN 1 AND 4),
    CONSTRAINT points_by_level CHECK (points >= CASE level WHEN 1 THEN 0 WHEN 2 THEN 100 ELSE 1000 END),
    CONSTRAINT tier_cap CHECK (CASE tier WHEN 'bronze' THEN 500 WHEN 'silver' THEN 5000 END > points
                               OR tier = 'gold')
);
