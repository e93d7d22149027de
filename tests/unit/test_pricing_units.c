/* test_pricing_units.c - unit vocabulary and exact decimal rescaling
 * (pricing/units.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "pricing/units.h"

static void check_scale(const char *raw_unit, const char *price, const char *unit,
                        const char *text, double value)
{
    unit_norm u = units_normalize(raw_unit);
    assert_true(u.known);
    assert_string_equal(u.unit, unit);
    char out[64];
    double usd = -1;
    assert_true(units_scale_price(price, &u, out, sizeof out, &usd));
    assert_string_equal(out, text);
    assert_true(usd == value);
}

static void test_spellings_map_to_one_vocabulary(void **state)
{
    (void)state;
    check_scale("Hrs", "0.0960000000", "Hrs", "0.096", 0.096);
    check_scale("hrs", "294", "Hrs", "294", 294);
    check_scale("Lambda-GB-Second", "0.0000166667", "GB-Seconds", "0.0000166667", 0.0000166667);
    check_scale("GB-Mo", "0.08", "GB-Mo", "0.08", 0.08);
    check_scale("WRU", "0.000000625", "WriteRequestUnits", "0.000000625", 0.000000625);
    check_scale("month", "0.50", "Mo", "0.5", 0.5);
    check_scale("ReadCapacityUnit-Hrs", "0.00013", "RCU-Hrs", "0.00013", 0.00013);
}

static void test_per_thousand_and_million_are_exact(void **state)
{
    (void)state;
    check_scale("1M requests", "3.50", "Requests", "0.0000035", 0.0000035);
    check_scale("1M requests", "0.20", "Requests", "0.0000002", 0.0000002);
    check_scale("10k requests", "0.0075", "Requests", "0.00000075", 0.00000075);
    check_scale("1k requests", "0.005", "Requests", "0.000005", 0.000005);
    check_scale("1M requests", "1200", "Requests", "0.0012", 0.0012);
}

static void test_gibps_to_mibps(void **state)
{
    (void)state;
    check_scale("GiBps-mo", "40.96", "MiBps-Mo", "0.04", 0.04);
    check_scale("GiBps-Mo", "45.056", "MiBps-Mo", "0.044", 0.044);
    unit_norm u = units_normalize("GiBps-mo");
    assert_true(units_quantity_factor(&u) == 1024.0);
    u = units_normalize("1M requests");
    assert_true(units_quantity_factor(&u) == 1e6);
}

static void test_bad_prices_and_unknown_units(void **state)
{
    (void)state;
    unit_norm u = units_normalize("Hrs");
    char out[64];
    double usd;
    const char *bad[] = {"", "abc", "1e-5", "-1", "1.2.3", "0x10", " 1", "1 "};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(units_scale_price(bad[i], &u, out, sizeof out, &usd));
    assert_false(units_scale_price("0.0960000000", &u, out, 3, &usd)); /* too small */
    unit_norm q = units_normalize("Quantity");
    assert_false(q.known);
    assert_string_equal(q.unit, "Quantity");
    assert_true(units_scale_price("2750", &q, out, sizeof out, &usd));
    assert_string_equal(out, "2750");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spellings_map_to_one_vocabulary),
        cmocka_unit_test(test_per_thousand_and_million_are_exact),
        cmocka_unit_test(test_gibps_to_mibps),
        cmocka_unit_test(test_bad_prices_and_unknown_units),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
