# Numbers: integers, fractions, exponents, negatives, large values.
zero          = 0
small         = 7
leading_zeros = 007
negative      = -42
negative_zero = -0
spaced_minus  = - 5
fraction      = 0.25
neg_fraction  = -1.5
exp_lower     = 1e3
exp_upper     = 2E2
exp_neg       = 2.5e-3
exp_pos       = 6.02e+23
int64_max     = 9223372036854775807
huge          = 12345678901234567890
ratios        = [0.1, 0.2, 0.30000000000000004, 1.0, 100.000]
mixed         = { a = 1, b = -2, c = 3.5, d = -4.25e1 }
