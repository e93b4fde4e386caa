/*
 * exact.c
 *	  Exact arithmetic on numeric values, the one home of the helpers that
 *	  the quota and attainment types, amounts, proration and the totals
 *	  trigger share: making numbers (from text, from integers, constants
 *	  made once), their text, comparison and tests for zero, trimming,
 *	  copying, sums, differences, products, rounding and the exact
 *	  one-division quotient.  All of it goes through numeric's own
 *	  functions, but for the test for zero, which reads the stored form
 *	  (numeric_form.h).
 */
#include "postgres.h"

#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

#include "numeric_form.h"
#include "quota_ext.h"

/* Zero, made once per backend by exact_constant. */
static Numeric zero_numeric;

/* Makes a numeric from its text form. */
Numeric
exact_from_cstring(const char *str)
{
	return DatumGetNumeric(DirectFunctionCall3(numeric_in,
											   CStringGetDatum(str),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* Returns the numeric written text, made once into *slot in TopMemoryContext. */
Numeric
exact_constant(Numeric *slot, const char *text)
{
	if (*slot == NULL)
	{
		MemoryContext old_context = MemoryContextSwitchTo(TopMemoryContext);

		*slot = exact_from_cstring(text);
		MemoryContextSwitchTo(old_context);
	}
	return *slot;
}

/* Returns zero, made once per backend: read it, never change or free it (copy it to return it). */
Numeric
exact_zero(void)
{
	return exact_constant(&zero_numeric, "0");
}

/* Converts an integer to numeric. */
Numeric
exact_from_int64(int64 value)
{
	return DatumGetNumeric(DirectFunctionCall1(int8_numeric,
											   Int64GetDatum(value)));
}

/* Returns the text form of a numeric. */
char *
exact_text(Numeric num)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
}

/* Compares two numerics: negative, zero or positive like strcmp. */
int
exact_cmp(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp,
											 NumericGetDatum(a),
											 NumericGetDatum(b)));
}

/*
 * Whether two numeric Datums (either varlena header, perhaps toasted) are
 * equal in value, as = finds them (10 and 10.0 are): equal bytes are, and
 * only numerics that differ in bytes are compared as numbers.
 */
bool
exact_datums_equal(Datum x, Datum y)
{
	struct varlena *x_packed = PG_DETOAST_DATUM_PACKED(x);
	struct varlena *y_packed = PG_DETOAST_DATUM_PACKED(y);

	if (VARSIZE_ANY(x_packed) == VARSIZE_ANY(y_packed) &&
		memcmp(x_packed, y_packed, VARSIZE_ANY(x_packed)) == 0)
		return true;
	return exact_cmp(DatumGetNumeric(x), DatumGetNumeric(y)) == 0;
}

/* Whether a numeric is zero (false for NaN and the infinities), read from its stored form. */
bool
exact_is_zero(Numeric num)
{
	NumericParts parts;

	return numeric_form_read((struct varlena *) num, &parts) && parts.ndigits == 0;
}

/* Returns a numeric without trailing fractional zeros. */
Numeric
exact_trimmed(Numeric num)
{
	return DatumGetNumeric(DirectFunctionCall1(numeric_trim_scale, NumericGetDatum(num)));
}

/* Returns a palloc'd copy of a numeric. */
Numeric
exact_copy(Numeric num)
{
	Numeric		copy = (Numeric) palloc(VARSIZE(num));

	memcpy(copy, num, VARSIZE(num));
	return copy;
}

/* Adds two numerics exactly. */
Numeric
exact_plus(Numeric left, Numeric right)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_add,
											   NumericGetDatum(left),
											   NumericGetDatum(right)));
}

/* Subtracts one numeric from another exactly. */
Numeric
exact_minus(Numeric left, Numeric right)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_sub,
											   NumericGetDatum(left),
											   NumericGetDatum(right)));
}

/* Returns the negation of a numeric. */
Numeric
exact_negated(Numeric num)
{
	return DatumGetNumeric(DirectFunctionCall1(numeric_uminus, NumericGetDatum(num)));
}

/* Multiplies two numerics exactly. */
Numeric
exact_times(Numeric left, Numeric right)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_mul,
											   NumericGetDatum(left),
											   NumericGetDatum(right)));
}

/* Rounds a numeric to scale fractional digits (half away from zero), keeping that scale. */
Numeric
exact_rounded(Numeric num, int scale)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_round,
											   NumericGetDatum(num),
											   Int32GetDatum(scale)));
}

/* Returns max(minuend - subtrahend, 0), without trailing fractional zeros. */
Numeric
exact_excess(Numeric minuend, Numeric subtrahend)
{
	if (exact_cmp(minuend, subtrahend) <= 0)
		return exact_copy(exact_zero());
	return exact_trimmed(numeric_sub_opt_error(minuend, subtrahend, NULL));
}

/*
 * Divides once, keeping at least 20 fractional digits, and drops trailing
 * fractional zeros, so that exact quotients come out exact.
 */
Numeric
exact_quotient(Numeric dividend, Numeric divisor)
{
	Datum		quotient = DirectFunctionCall2(numeric_div,
											   NumericGetDatum(exact_rounded(dividend, 20)),
											   NumericGetDatum(divisor));

	return exact_trimmed(DatumGetNumeric(quotient));
}
