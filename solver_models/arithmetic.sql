-- about: + - * / % (truncating toward zero, sign of the dividend), unary minus and abs() over columns and constants
-- expect: satisfiable
-- classification: exact=7 string=0 opaque=0
CREATE TABLE t (
    a integer NOT NULL,
    b integer NOT NULL,
    c integer NOT NULL,
    d integer NOT NULL,
    CONSTRAINT sum_product CHECK ((a + b) * 2 - c > 0),
    CONSTRAINT a_div CHECK (a / 3 >= 2 AND a / 3 < 40),
    CONSTRAINT b_mod CHECK (b % 5 = 1),
    CONSTRAINT c_negative_mod CHECK (c % 4 <> -1 AND c > -300 AND c < 300),
    CONSTRAINT d_negative_div CHECK (d / -2 = 3 OR d % 3 = -1),
    CONSTRAINT neg_a CHECK (-a < 10 AND -a > -500),
    CONSTRAINT close CHECK (abs(a - b) <= 3 AND abs(b) >= 2)
);
